/**
 * The statement triggers that keep a document table's rollups (side tables `<table>__<suffix>`):
 * an insert adds its rows' contributions, an update takes the old rows' out and puts the new
 * rows' in, and a generation indexed after it caught up starts its rollups from its documents.
 * Each projection says what a set of rows contributes (`upserts` over a source of rows with a
 * `sign` column and `columns`) and which rollup tables are empty before that first fill.
 */
export function rollupTriggers(
  table: string,
  { columns, upserts, empty }: { columns: string; upserts: (source: string) => string; empty: string[] },
): string[] {
  const bare = table.slice(table.indexOf('.') + 1);
  const rowsOf = (name: string, sign: number) => `select ${sign} as sign, ${columns} from ${name}`;
  const unfilled = empty.map((rollup) => `not exists (select from ${rollup})`).join(' and ');
  return [
    `create or replace function ${table}__on_insert() returns trigger language plpgsql as $$
     begin ${upserts(rowsOf('new_rows', 1))} return null; end $$`,
    `create or replace function ${table}__on_update() returns trigger language plpgsql as $$
     begin ${upserts(`${rowsOf('old_rows', -1)} union all ${rowsOf('new_rows', 1)}`)} return null; end $$`,
    // Created before the rollups are filled from the documents: the trigger's lock keeps
    // writers out until this transaction commits, so no document is missed or counted twice.
    `create or replace trigger ${bare}__rolls_inserts after insert on ${table} referencing new table as new_rows
       for each statement execute function ${table}__on_insert()`,
    `create or replace trigger ${bare}__rolls_updates after update on ${table} referencing old table as old_rows new table as new_rows
       for each statement execute function ${table}__on_update()`,
    `do $$ begin if ${unfilled} then ${upserts(rowsOf(table, 1))} end if; end $$`,
  ];
}
