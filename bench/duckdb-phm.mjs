// The DuckDB peer of bench/phm: run the SQL files given, in order, in one
// in-memory database; print the seconds each took, then the last query's
// rows as CSV. Usage: node bench/duckdb-phm.mjs LOAD.sql QUERY.sql
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await inst.connect();
const times = [];
let last = null;
for (const f of process.argv.slice(2)) {
  const t = process.hrtime.bigint();
  const stmts = readFileSync(f, 'utf8').split(';\n').filter((s) => s.trim());
  for (const s of stmts) last = await con.runAndReadAll(s);
  times.push(Number(process.hrtime.bigint() - t) / 1e9);
}
console.log(times.join(' '));
console.log(last.columnNames().join(','));
for (const r of last.getRows()) console.log(r.map(String).join(','));
