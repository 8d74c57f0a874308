// Load CSV files into a DuckDB database file with read_csv, one table per
// file, in one process; prints the rows loaded. The peer for bench/load.
// Usage: node bench/duckdb-load.mjs DB FILE...
// DuckDB reads UTF-8 only: ignore_errors lets it through the one
// Windows-1252 file (it does not decode it as pccs does).
import { DuckDBInstance } from '@duckdb/node-api';

const [db, ...files] = process.argv.slice(2);
const inst = await DuckDBInstance.create(db);
const con = await inst.connect();
let rows = 0;
for (const [i, f] of files.entries()) {
  const q = `CREATE TABLE t${i} AS SELECT * FROM read_csv('${f.replace(/'/g, "''")}',
             all_varchar = true, ignore_errors = true, strict_mode = false)`;
  await con.run(q);
  const r = await con.runAndReadAll(`SELECT count(*) FROM t${i}`);
  rows += Number(r.getRows()[0][0]);
}
console.log(rows);
