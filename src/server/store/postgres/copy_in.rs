//! The PostgreSQL end of `deskport migrate`: which columns each moved table has here, and
//! loading the tables read from SQLite into an empty database as they are (ids, versions and
//! change-log sequence numbers kept), a few thousand rows per statement, then moving every
//! id sequence past the copied values so the next insert continues after them.

use super::sql::{Db, execute, get, row, rows};
use crate::server::store::table_copy::{
    ColumnKind, ColumnSpec, ColumnValues, MOVED_TABLES, MoveReport, TableRows, TableSpec,
};
use crate::server::store::{StoreError, StoreResult};
use tokio_postgres::types::ToSql;

/// Rows per insert statement.
const CHUNK: usize = 5_000;

/// The moved tables as this database defines them, refusing a column type a move cannot
/// carry.
pub async fn table_specs(c: &Db) -> StoreResult<Vec<TableSpec>> {
    let tables: Vec<String> = MOVED_TABLES.iter().map(|t| t.to_string()).collect();
    let found = rows(
        c,
        "SELECT table_name::text, column_name::text, data_type::text, COALESCE(column_default LIKE 'nextval(%', FALSE) \
         FROM information_schema.columns WHERE table_schema::text = current_schema() AND table_name::text = ANY($1::text[]) \
         ORDER BY ordinal_position",
        &[&tables],
    )
    .await?;
    let mut specs: Vec<TableSpec> = MOVED_TABLES
        .iter()
        .map(|t| TableSpec {
            name: t.to_string(),
            columns: Vec::new(),
        })
        .collect();
    for r in &found {
        let table: String = get(r, 0)?;
        let name: String = get(r, 1)?;
        let data_type: String = get(r, 2)?;
        let kind = ColumnKind::of_postgres(&data_type).ok_or_else(|| {
            StoreError::Database(format!(
                "cannot move column {table}.{name}: its type {data_type} is not one a move carries"
            ))
        })?;
        if let Some(spec) = specs.iter_mut().find(|s| s.name == table) {
            spec.columns.push(ColumnSpec {
                name,
                kind,
                sequenced: get(r, 3)?,
            });
        }
    }
    if let Some(missing) = specs.iter().find(|s| s.columns.is_empty()) {
        return Err(StoreError::Database(format!(
            "the PostgreSQL schema has no table {}",
            missing.name
        )));
    }
    Ok(specs)
}

/// The moved tables that already hold rows, with their counts: a move goes into an empty
/// database only, so it never mixes two portals' ids.
pub async fn occupied(c: &Db) -> StoreResult<Vec<(String, i64)>> {
    let mut out = Vec::new();
    for table in MOVED_TABLES {
        let n: i64 = get(
            &row(c, &format!("SELECT COUNT(*) FROM \"{table}\""), &[]).await?,
            0,
        )?;
        if n > 0 {
            out.push((table.to_string(), n));
        }
    }
    Ok(out)
}

/// Loads `tables` and the code key into the empty database (checked again here, inside the
/// load's transaction).
pub async fn load(
    c: &Db,
    tables: &[TableRows],
    code_key: Option<&[u8]>,
) -> StoreResult<MoveReport> {
    let taken = occupied(c).await?;
    if !taken.is_empty() {
        return Err(not_empty(&taken));
    }
    let mut report = MoveReport::default();
    for table in tables {
        insert_table(c, table).await?;
        advance_sequences(c, &table.spec).await?;
        report.rows.push((table.spec.name.clone(), table.rows));
    }
    report.last_seq = get(
        &row(c, "SELECT COALESCE(MAX(seq), 0) FROM changes", &[]).await?,
        0,
    )?;
    if let Some(key) = code_key {
        execute(
            c,
            "INSERT INTO server_secrets (name, value) VALUES ('code_key', $1) \
             ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
            &[&key],
        )
        .await?;
        report.code_key = true;
    }
    Ok(report)
}

/// The refusal of a database that already holds a portal, naming what it holds.
pub fn not_empty(taken: &[(String, i64)]) -> StoreError {
    let held: Vec<String> = taken.iter().map(|(t, n)| format!("{t}: {n}")).collect();
    StoreError::Duplicate(format!(
        "the PostgreSQL database is not empty ({}); migrate copies into an empty database only \
         (create one with `createdb`, and do not start a server on it before migrating)",
        held.join(", ")
    ))
}

async fn insert_table(c: &Db, table: &TableRows) -> StoreResult<()> {
    let spec = &table.spec;
    let names: Vec<String> = spec
        .columns
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect();
    let arrays: Vec<String> = spec
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("${}::{}", i + 1, c.kind.postgres_array()))
        .collect();
    let sql = format!(
        "INSERT INTO \"{}\" ({}) SELECT * FROM UNNEST({})",
        spec.name,
        names.join(", "),
        arrays.join(", ")
    );
    let mut start = 0;
    while start < table.rows {
        let end = (start + CHUNK).min(table.rows);
        let params: Vec<Box<dyn ToSql + Sync + Send>> = table
            .columns
            .iter()
            .map(|values| slice(values, start..end))
            .collect();
        let refs: Vec<&(dyn ToSql + Sync)> = params
            .iter()
            .map(|p| p.as_ref() as &(dyn ToSql + Sync))
            .collect();
        execute(c, &sql, &refs)
            .await
            .map_err(|e| StoreError::Database(format!("cannot copy into {}: {e}", spec.name)))?;
        start = end;
    }
    Ok(())
}

/// Rows `range` of a column, as one array parameter.
fn slice(values: &ColumnValues, range: std::ops::Range<usize>) -> Box<dyn ToSql + Sync + Send> {
    match values {
        ColumnValues::Int(v) => Box::new(v[range].to_vec()),
        ColumnValues::Text(v) => Box::new(v[range].to_vec()),
        ColumnValues::Bool(v) => Box::new(v[range].to_vec()),
        ColumnValues::Bytes(v) => Box::new(v[range].to_vec()),
    }
}

/// Sets each sequence of `spec` to the highest copied value, so the next row gets the one
/// after it (an empty table's sequence starts at 1 as before).
async fn advance_sequences(c: &Db, spec: &TableSpec) -> StoreResult<()> {
    for column in spec.columns.iter().filter(|c| c.sequenced) {
        let (table, name) = (&spec.name, &column.name);
        execute(
            c,
            &format!(
                "SELECT setval(pg_get_serial_sequence('\"{table}\"', '{name}'), COALESCE(MAX(\"{name}\"), 1), MAX(\"{name}\") IS NOT NULL) FROM \"{table}\""
            ),
            &[],
        )
        .await?;
    }
    Ok(())
}
