// Load CSV files into a DuckDB database file with read_csv, one table per
// file, in one process; prints the rows loaded. The peer for bench/load.
// Usage: node bench/duckdb-load.mjs DB FILE...
import { DuckDBInstance } from '@duckdb/node-api';

const [db, ...files] = process.argv.slice(2);
const inst = await DuckDBInstance.create(db);
const con = await inst.connect();
let rows = 0;
for (const [i, f] of files.entries()) {
  const q = `CREATE TABLE t${i} AS SELECT * FROM read_csv('${f.replace(/'/g, "''")}',
             all_varchar = true, encoding = 'latin-1', strict_mode = false)`;
  await con.run(q);
  const r = await con.runAndReadAll(`SELECT count(*) FROM t${i}`);
  rows += Number(r.getRows()[0][0]);
}
console.log(rows);
