//! Reads whole tables for `deskport migrate`, in one read transaction so the copy is one
//! moment of the portal even if something writes meanwhile.

use crate::server::store::table_copy::{ColumnKind, ColumnValues, TableRows, TableSpec};
use crate::server::store::{StoreError, StoreResult};
use rusqlite::Connection;

/// Every row of each table in `specs`, with the columns the specs name.
pub fn read_tables(conn: &Connection, specs: &[TableSpec]) -> StoreResult<Vec<TableRows>> {
    let txn = conn.unchecked_transaction()?;
    let tables = specs
        .iter()
        .map(|spec| read_table(&txn, spec))
        .collect::<StoreResult<Vec<_>>>()?;
    txn.commit()?;
    Ok(tables)
}

fn read_table(conn: &Connection, spec: &TableSpec) -> StoreResult<TableRows> {
    let names: Vec<&str> = spec.columns.iter().map(|c| c.name.as_str()).collect();
    let sql = format!(
        "SELECT \"{}\" FROM \"{}\" ORDER BY rowid",
        names.join("\", \""),
        spec.name
    );
    let mut stmt = conn.prepare(&sql).map_err(|e| {
        StoreError::Database(format!(
            "the SQLite table {} does not match PostgreSQL's (columns {}): {e}",
            spec.name,
            names.join(", ")
        ))
    })?;
    let mut columns: Vec<ColumnValues> = spec
        .columns
        .iter()
        .map(|c| match c.kind {
            ColumnKind::Int => ColumnValues::Int(Vec::new()),
            ColumnKind::Text => ColumnValues::Text(Vec::new()),
            ColumnKind::Bool => ColumnValues::Bool(Vec::new()),
            ColumnKind::Bytes => ColumnValues::Bytes(Vec::new()),
        })
        .collect();
    let mut rows = stmt.query([])?;
    let mut count = 0;
    while let Some(row) = rows.next()? {
        for (i, column) in columns.iter_mut().enumerate() {
            match column {
                ColumnValues::Int(v) => v.push(row.get(i)?),
                ColumnValues::Text(v) => v.push(row.get(i)?),
                ColumnValues::Bool(v) => v.push(row.get(i)?),
                ColumnValues::Bytes(v) => v.push(row.get(i)?),
            }
        }
        count += 1;
    }
    Ok(TableRows {
        spec: spec.clone(),
        columns,
        rows: count,
    })
}
