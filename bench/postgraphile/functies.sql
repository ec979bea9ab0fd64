-- PostGraphile's view of the register's public search, for the bench only (bench/postgraphile/).
-- PostGraphile cannot express our search rules itself; these functions give it the same prefix
-- search on the stored normalised column (leraar.zoeknaam), the same order, and the same public
-- lookup, in a schema of their own so that nothing of the register's schema changes.
-- The harness applies this file only to a database made by bench/genereer.py (lr_bench*).
DROP SCHEMA IF EXISTS bench_pg CASCADE;
CREATE SCHEMA bench_pg;
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA bench_pg;

-- regels/naam.py `normaliseer` in SQL: apostrophes unified, accents stripped, case folded,
-- tussenvoegsel words dropped ("d'" glued to a name is dropped too), white space collapsed; a
-- name made only of such words is kept whole. Regular expressions over the whole string, so that
-- it costs microseconds, not an unnest per word.
CREATE FUNCTION bench_pg.normaliseer(tekst text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN kaal <> '' THEN kaal ELSE heel END FROM (
    SELECT heel, btrim(regexp_replace(regexp_replace(regexp_replace(' ' || heel || ' ',
      '(?<= )(van|de|der|den|het|''t|ter|ten|te|in|op|aan|bij|uit|von|la|le|d''|du|del|della|des|vander|vd)(?= )',
      '', 'g'), '(?<= )d''(?=[^ ])', '', 'g'), ' +', ' ', 'g')) AS kaal
    FROM (SELECT btrim(regexp_replace(lower(bench_pg.unaccent('bench_pg.unaccent',
            translate(tekst, E'\u2019\u2018\u02bc\u00b4`', ''''''''''''))), '\s+', ' ', 'g')) AS heel) h
  ) x
$$;

-- zoekLeraren: GEREGISTREERD teachers whose registernummer is the term, then those whose
-- normalised achternaam starts with the normalised term: the same SQL as resolvers/leraren.py
-- `zoek`. sorteernaam is the stored normalised achternaam followed by \x01 and the voorletters, so
-- a prefix range on it is "achternaam starts with the term", served by the partial index on
-- (sorteernaam, registernummer). The function has no ORDER BY of its own: PostGraphile orders
-- (orderBy: [SORTEERNAAM_ASC, REGISTERNUMMER_ASC]), so that its totalCount is a plain count and a
-- page comes from the index in order. That equals our order ("exact registernummer first") because
-- a term is either a registernummer (ten digits, no name starts with one) or a name, never both.
-- The normalised term is a scalar subquery (an InitPlan, worked out once per query): a bound the
-- index can use, also in a generic plan of a prepared statement. No CTE, so that the function is
-- inlined and its UNION ALL flattened: a page is a merge of ordered index scans and totalCount an
-- index-only count.
CREATE FUNCTION bench_pg.zoek_leraren(term text) RETURNS SETOF public.leraar LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT l.* FROM public.leraar l WHERE l.status = 'GEREGISTREERD' AND l.registernummer = btrim(term)
  UNION ALL
  SELECT l.* FROM public.leraar l
  WHERE l.status = 'GEREGISTREERD'
    AND (SELECT bench_pg.normaliseer(term)) <> ''
    AND l.sorteernaam >= (SELECT bench_pg.normaliseer(term))
    AND l.sorteernaam < (SELECT bench_pg.normaliseer(term) || chr(1114111))
    AND l.registernummer <> btrim(term)
$$;

-- leraar(registernummer:) for the public: only a teacher in the public register.
CREATE FUNCTION bench_pg.openbare_leraar(nummer text) RETURNS public.leraar LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT * FROM public.leraar WHERE registernummer = btrim(nummer) AND status = 'GEREGISTREERD'
$$;

-- Naam.weergavenaam as a computed column: voorletters, tussenvoegsel, achternaam.
CREATE FUNCTION bench_pg.leraar_weergavenaam(l public.leraar) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT concat_ws(' ', nullif(l.voorletters, ''), nullif(l.tussenvoegsel, ''), nullif(l.achternaam, ''))
$$;
