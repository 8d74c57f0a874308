// The DuckDB peer of bench/calc: load the raw files into an in-memory
// database (not timed), then run each statement of calc.sql and print
// "name seconds rows" per statement. Usage: node duckdb-calc.mjs SQL NAME=FILE...
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [sqlPath, ...tables] = process.argv.slice(2);
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
for (const t of tables) {
  const [name, file] = t.split('=');
  await con.run(`CREATE TABLE ${name} AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}', header = true)`);
}
const stmts = readFileSync(sqlPath, 'utf8').split(/^;$/m).map((s) => s.trim()).filter((s) => s.includes('SELECT'));
for (const s of stmts) {
  const name = (s.match(/^-- ([a-z -]+):/m) || [, '?'])[1];
  const t0 = process.hrtime.bigint();
  const r = await con.runAndReadAll(s);
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${name} ${dt} ${r.getRows().length}`);
}
