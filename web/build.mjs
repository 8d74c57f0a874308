// Copy what the dashboard uses from node_modules (installed by `npm ci`
// from the committed lock file) into web/vendor and web/assets: the NHS.UK
// frontend's styles, script and icons, and uPlot. The NHS.UK styles point
// at the Frutiger web fonts on NHS servers; those @font-face rules are
// removed so the dashboard never reaches the network (it falls back to
// Arial, as the NHS.UK styles themselves do).
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const nm = join(here, 'node_modules');
const nhs = join(nm, 'nhsuk-frontend', 'dist', 'nhsuk');
const vendor = join(here, 'vendor');
const images = join(here, 'assets', 'images');
mkdirSync(vendor, { recursive: true });
mkdirSync(images, { recursive: true });

let css = readFileSync(join(nhs, 'nhsuk-frontend.min.css'), 'utf8');
const before = css.length;
css = css.replace(/@font-face\{[^}]*\}/g, '');
if (/url\((?:"|')?https?:/.test(css)) {
  console.error('web/build.mjs: the NHS.UK styles still load something from the network');
  process.exit(1);
}
writeFileSync(join(vendor, 'nhsuk.css'), css);
copyFileSync(join(nhs, 'nhsuk-frontend.min.js'), join(vendor, 'nhsuk.js'));
for (const f of readdirSync(join(nhs, 'assets', 'images')))
  copyFileSync(join(nhs, 'assets', 'images', f), join(images, f));
copyFileSync(join(nm, 'uplot', 'dist', 'uPlot.iife.min.js'), join(vendor, 'uPlot.js'));
copyFileSync(join(nm, 'uplot', 'dist', 'uPlot.min.css'), join(vendor, 'uPlot.css'));
console.log(`web/build.mjs: vendor/ and assets/ written (NHS.UK styles ${before} -> ${css.length} bytes without web fonts)`);
