-- The union of tsvectors, for the messages projection's per-conversation word sets
-- (projections/messages/words.ts): `||` of two stripped vectors is the set of their lexemes.
CREATE OR REPLACE AGGREGATE arrakis.lexeme_union(tsvector) (
  SFUNC = tsvector_concat,
  STYPE = tsvector,
  INITCOND = ''
);
