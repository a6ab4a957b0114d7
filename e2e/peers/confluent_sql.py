"""Light analysis of Flink SQL for the Confluent Cloud for Apache Flink emulator.

Not a SQL parser: just enough of Confluent's Flink dialect to give a statement the traits and
the failures the real service would (reference/confluent-flink-api.md §1.5, §3):
- `sql_kind` from the leading keywords (OAS `sql.v1.StatementTraits.sql_kind`, "uses
  underscores for separating concepts e.g. CREATE_TABLE"; kinds known to the Table API plugin's
  `internal/SqlKind`), and whether the statement is bounded (DDL completes, a streaming INSERT
  keeps running).
- the tables a statement creates, drops, writes and reads, so the emulator's catalog can fail it
  the way Flink's validator does ("Table (or view) ... does not exist", "... already exists").
- column types rendered as OAS `DataType` JSON objects for `status.traits.schema.columns`.
- the first stateful feature of a query (`stateful_feature`), for Confluent's refusal to carry
  offsets over into a statement that is not stateless (docs "Carry-over Offsets": not for
  aggregates, LAG, windows, pattern matching; "stateless applies to statements that can process
  each event independently and in any order").

Identifiers follow Flink (`EncodingUtils.escapeIdentifier`): back-quoted, a back-quote inside a
name doubled; unquoted identifiers keep their case. String literals are single-quoted with the
quote doubled. `--` and `/* */` comments are skipped.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import ClassVar

MAX_LENGTH = 2147483647  # length Flink reports for STRING (VARCHAR) and BYTES (VARBINARY)
RESUMABLE_KINDS = frozenset({"INSERT_INTO", "EXECUTE_STATEMENT_SET", "CREATE_TABLE_AS"})  # TF docs
_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_TYPE_CLAUSE_END = frozenset({"METADATA", "COMMENT", "PRIMARY", "VIRTUAL"})
_NON_COLUMN_ITEMS = frozenset({"PRIMARY", "WATERMARK", "CONSTRAINT"})
CHANGELOG_MODES = frozenset({"append", "upsert", "retract"})  # 'changelog.mode' values (§3)
# Stateful constructs, by the word that starts them (docs "Carry-over Offsets" and Flink SQL).
_AGGREGATE_FUNCTIONS = frozenset({
    "COUNT", "SUM", "AVG", "MIN", "MAX", "COLLECT", "LISTAGG", "STDDEV", "STDDEV_POP", "STDDEV_SAMP",
    "VARIANCE", "VAR_POP", "VAR_SAMP", "FIRST_VALUE", "LAST_VALUE", "ARRAY_AGG", "JSON_ARRAYAGG",
    "JSON_OBJECTAGG"})
_WINDOW_FUNCTIONS = frozenset({"TUMBLE", "HOP", "CUMULATE", "SESSION"})  # window TVFs and group windows
_OFFSET_FUNCTIONS = frozenset({"LAG", "LEAD"})
_STATEFUL_KINDS = frozenset({"SELECT", "INSERT_INTO", "EXECUTE_STATEMENT_SET", "CREATE_TABLE_AS"})


class SqlError(Exception):
    """A statement the emulated planner rejects; the message becomes `status.detail`."""


@dataclass(frozen=True)
class Token:
    kind: str  # "word", "quoted" (back-quoted identifier), "string", "number" or "punct"
    text: str  # for "quoted" and "string" the unescaped value
    start: int
    end: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words

    def is_punct(self, char: str) -> bool:
        return self.kind == "punct" and self.text == char

    @property
    def is_identifier(self) -> bool:
        return self.kind in ("word", "quoted")


@dataclass(frozen=True)
class TableName:
    """A table reference as written: one to three identifier parts and where it stands."""

    parts: tuple[str, ...]
    start: int
    end: int

    @property
    def table(self) -> str:
        return self.parts[-1]

    def __str__(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class InsertTarget:
    table: TableName
    columns: tuple[str, ...] | None  # the explicit target column list, if any


@dataclass(frozen=True)
class SqlAnalysis:
    kind: str
    is_bounded: bool
    sources: tuple[TableName, ...] = ()  # tables read (FROM/JOIN) or required to exist
    inserts: tuple[InsertTarget, ...] = ()
    created: TableName | None = None  # CREATE TABLE [AS]
    created_columns: tuple[tuple[str, str], ...] = ()  # (name, type text) in declaration order
    if_not_exists: bool = False
    dropped: TableName | None = None  # DROP TABLE
    if_exists: bool = False
    select_star: bool = False  # `SELECT * FROM <one table>`: the result schema is that table's
    # The first stateful construct of the query, in text order, as the refusal of a carry-over
    # names it ("GROUP BY", "an aggregate function COUNT", "a TUMBLE window", ...); None: stateless.
    stateful_feature: str | None = None
    # CREATE TABLE: 'changelog.mode' of the new table ("upsert" when it has a PRIMARY KEY and no
    # explicit mode, §3: "A PRIMARY KEY makes it upsert").
    created_changelog_mode: str = "append"


def line_and_column(sql: str, offset: int) -> tuple[int, int]:
    """1-based position of `offset`, as Flink's "Error from line L, column C" messages count."""
    line = sql.count("\n", 0, offset) + 1
    return line, offset - (sql.rfind("\n", 0, offset) + 1) + 1


def tokenize(sql: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(sql):
        char = sql[i]
        if char.isspace():
            i += 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            i = len(sql) if newline < 0 else newline + 1
        elif sql.startswith("/*", i):
            close = sql.find("*/", i + 2)
            if close < 0:
                raise _parse_error(sql, i, "<EOF> in a comment")
            i = close + 2
        elif char in "`'":
            value, end = _read_quoted(sql, i)
            tokens.append(Token("quoted" if char == "`" else "string", value, i, end))
            i = end
        elif (match := _WORD.match(sql, i)) or (match := _NUMBER.match(sql, i)):
            kind = "word" if match.re is _WORD else "number"
            tokens.append(Token(kind, match.group(), i, match.end()))
            i = match.end()
        else:
            tokens.append(Token("punct", char, i, i + 1))
            i += 1
    return tokens


def _read_quoted(sql: str, start: int) -> tuple[str, int]:
    quote, pieces, i = sql[start], [], start + 1
    while True:
        close = sql.find(quote, i)
        if close < 0:
            raise _parse_error(sql, start, "<EOF> in a quoted literal or identifier")
        pieces.append(sql[i:close])
        if not sql.startswith(quote * 2, close):
            return "".join(pieces), close + 1
        pieces.append(quote)
        i = close + 2


def _parse_error(sql: str, offset: int, encountered: str) -> SqlError:
    line, column = line_and_column(sql, offset)
    return SqlError(f"SQL parse failed. Encountered {encountered} at line {line}, column {column}.")


def analyze(sql: str) -> SqlAnalysis:
    """Kind, boundedness and table references of one statement; SqlError if it cannot parse."""
    tokens = tokenize(sql)
    while tokens and tokens[-1].is_punct(";"):
        tokens.pop()
    if not tokens:
        raise SqlError("SQL parse failed. The statement is empty.")
    analysis = _analyze_tokens(sql, tokens)
    if analysis.kind in _STATEFUL_KINDS:
        analysis = replace(analysis, stateful_feature=stateful_feature(tokens))
    return analysis


def stateful_feature(tokens: list[Token]) -> str | None:
    """The first construct, in text order, that makes a query stateful, named as a refusal of
    carry-over offsets names it; None for a stateless query (filters, projections, UNION ALL,
    scalar functions, UNNEST and LATERAL TABLE). Only keywords count: string literals,
    back-quoted identifiers and comments never do, nor does a function name not followed by `(`
    (a column called `count`)."""
    for i, token in enumerate(tokens):
        if token.kind != "word":
            continue
        word = token.text.upper()
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        previous = tokens[i - 1] if i > 0 else None
        call = following is not None and following.is_punct("(")
        if word == "GROUP" and following is not None and following.is_word("BY"):
            return "GROUP BY"
        if call and word in _AGGREGATE_FUNCTIONS:
            return f"an aggregate function {word}"
        if word == "OVER":  # OVER aggregations, ROW_NUMBER() deduplication and Top-N
            return "OVER"
        if call and word in _WINDOW_FUNCTIONS:
            return f"a {word} window"
        if word == "MATCH_RECOGNIZE":
            return "MATCH_RECOGNIZE"
        if call and word in _OFFSET_FUNCTIONS:
            return word
        if word == "DISTINCT" and previous is not None and previous.is_word("SELECT"):
            return "SELECT DISTINCT"  # not `IS [NOT] DISTINCT FROM`, a comparison
        if word == "UNION" and not (following is not None and following.is_word("ALL")):
            return "UNION without ALL"  # removes duplicates: remembers every row seen
        if word in ("INTERSECT", "EXCEPT"):
            return word
        # A join remembers both inputs (not "each event independently"); UNNEST and LATERAL
        # TABLE only expand the row at hand.
        if word == "JOIN" and not (following is not None and following.is_word("UNNEST", "LATERAL", "TABLE")):
            return "a JOIN"
    return None


def _analyze_tokens(sql: str, tokens: list[Token]) -> SqlAnalysis:
    first = tokens[0]
    second = tokens[1] if len(tokens) > 1 else None
    if first.is_word("CREATE"):
        return _analyze_create(sql, tokens)
    if first.is_word("INSERT"):
        sources = _query_sources(sql, tokens)
        target = _insert_target(sql, tokens, 0)
        return SqlAnalysis("INSERT_INTO", not sources, sources, (target,))
    if first.is_word("EXECUTE", "STATEMENT"):
        sources = _query_sources(sql, tokens)
        targets = tuple(_insert_target(sql, tokens, i) for i, t in enumerate(tokens) if t.is_word("INSERT"))
        return SqlAnalysis("EXECUTE_STATEMENT_SET", not sources, sources, targets)
    if first.is_word("SELECT", "WITH", "VALUES"):
        sources = _query_sources(sql, tokens)
        star = len(tokens) > 2 and tokens[1].is_punct("*") and tokens[2].is_word("FROM") and len(sources) == 1
        return SqlAnalysis("SELECT", not sources, sources, select_star=star)
    if first.is_word("DROP") and second is not None and second.is_word("TABLE"):
        if_exists = _accept_words(tokens, 2, "IF", "EXISTS")
        dropped, _ = _qualified_name(sql, tokens, 2 + 2 * if_exists)
        return SqlAnalysis("DROP_TABLE", True, dropped=dropped, if_exists=if_exists)
    if first.is_word("ALTER") and second is not None and second.is_word("TABLE"):
        altered, _ = _qualified_name(sql, tokens, 2)
        return SqlAnalysis("ALTER_TABLE", True, (altered,))
    if first.is_word("ALTER", "DROP") and second is not None and second.kind == "word":
        return SqlAnalysis(f"{first.text}_{second.text}".upper(), True)
    if first.is_word("SHOW") and second is not None and second.kind == "word":
        words = [t.text.upper() for t in tokens[1:3] if t.kind == "word"]
        return SqlAnalysis("SHOW_" + "_".join(words if words[0] == "CREATE" else words[:1]), True)
    if first.is_word("DESCRIBE", "DESC", "EXPLAIN"):
        return SqlAnalysis("EXPLAIN" if first.is_word("EXPLAIN") else "DESCRIBE", True)
    raise _parse_error(sql, first.start, f'"{first.text}"')


def _analyze_create(sql: str, tokens: list[Token]) -> SqlAnalysis:
    i = 1 + 2 * _accept_words(tokens, 1, "OR", "REPLACE")
    i += _accept_words(tokens, i, "TEMPORARY")
    if i >= len(tokens) or tokens[i].kind != "word":
        raise _unexpected(sql, tokens, i)
    if not tokens[i].is_word("TABLE"):
        return SqlAnalysis(f"CREATE_{tokens[i].text.upper()}", True)
    if_not_exists = _accept_words(tokens, i + 1, "IF", "NOT", "EXISTS")
    created, i = _qualified_name(sql, tokens, i + 1 + 3 * if_not_exists)
    is_ctas = any(a.is_word("AS") and b.is_word("SELECT", "WITH") for a, b in itertools.pairwise(tokens))
    if is_ctas:
        return SqlAnalysis("CREATE_TABLE_AS", False, _query_sources(sql, tokens), created=created,
                           if_not_exists=if_not_exists)
    columns, primary_key, i = ((), False, i) if i >= len(tokens) or not tokens[i].is_punct("(") \
        else _column_definitions(sql, tokens, i)
    mode = _table_options(tokens, i).get("changelog.mode", "upsert" if primary_key else "append").lower()
    return SqlAnalysis("CREATE_TABLE", True, created=created, created_columns=columns,
                       if_not_exists=if_not_exists,
                       created_changelog_mode=mode if mode in CHANGELOG_MODES else "append")


def _accept_words(tokens: list[Token], i: int, *words: str) -> bool:
    window = tokens[i:i + len(words)]
    return len(window) == len(words) and all(t.is_word(w) for t, w in zip(window, words, strict=True))


def _qualified_name(sql: str, tokens: list[Token], i: int) -> tuple[TableName, int]:
    """`a`, `a`.`b` or `a`.`b`.`c` starting at token i; returns it and the index after it."""
    if i >= len(tokens) or not tokens[i].is_identifier:
        raise _unexpected(sql, tokens, i)
    parts, j = [tokens[i].text], i + 1
    while j + 1 < len(tokens) and tokens[j].is_punct(".") and tokens[j + 1].is_identifier:
        parts.append(tokens[j + 1].text)
        j += 2
    return TableName(tuple(parts), tokens[i].start, tokens[j - 1].end), j


def _unexpected(sql: str, tokens: list[Token], i: int) -> SqlError:
    if i < len(tokens):
        return _parse_error(sql, tokens[i].start, f'"{tokens[i].text}"')
    return _parse_error(sql, len(sql), "<EOF>")


def _insert_target(sql: str, tokens: list[Token], insert_index: int) -> InsertTarget:
    """`INSERT INTO|OVERWRITE <table> [(col, ...)]` at insert_index."""
    keyword = insert_index + 1
    if keyword >= len(tokens) or not tokens[keyword].is_word("INTO", "OVERWRITE"):
        raise _unexpected(sql, tokens, keyword)
    table, i = _qualified_name(sql, tokens, keyword + 1)
    if i + 1 >= len(tokens) or not tokens[i].is_punct("(") or tokens[i + 1].is_word("SELECT", "WITH", "VALUES"):
        return InsertTarget(table, None)
    columns = []
    for token in tokens[i + 1:]:
        if token.is_punct(")"):
            break
        if token.is_identifier:
            columns.append(token.text)
    return InsertTarget(table, tuple(columns))


def _query_sources(sql: str, tokens: list[Token]) -> tuple[TableName, ...]:
    """Tables after FROM/JOIN of every SELECT, minus CTE names and table functions.

    A FROM counts only at a parenthesis level where a SELECT was seen, so `EXTRACT(YEAR FROM ts)`
    and `TRIM(BOTH ' ' FROM s)` are not mistaken for table references.
    """
    cte_names = {
        tokens[i].text for i in range(1, len(tokens) - 2)
        if tokens[i].is_identifier and tokens[i + 1].is_word("AS") and tokens[i + 2].is_punct("(")
        and (tokens[i - 1].is_word("WITH") or tokens[i - 1].is_punct(","))
    }
    select_seen = [False]
    sources = []
    for i, token in enumerate(tokens):
        if token.is_punct("("):
            select_seen.append(False)
        elif token.is_punct(")") and len(select_seen) > 1:
            select_seen.pop()
        elif token.is_word("SELECT"):
            select_seen[-1] = True
        elif token.is_word("FROM", "JOIN") and select_seen[-1] and i + 1 < len(tokens):
            following = tokens[i + 1]
            if not following.is_identifier or following.is_word("LATERAL", "UNNEST", "TABLE"):
                continue
            name, _ = _qualified_name(sql, tokens, i + 1)
            if len(name.parts) > 1 or name.table not in cte_names:
                sources.append(name)
    return tuple(sources)


def _is_expression(item: list[Token]) -> bool:
    """A column-list item whose tokens are an expression, not a type: a computed column
    (`name AS expr`), a watermark or a constraint. There `<` and `>` compare."""
    return bool(item) and (item[0].is_word(*_NON_COLUMN_ITEMS) or (len(item) > 1 and item[1].is_word("AS")))


def _column_definitions(sql: str, tokens: list[Token],
                        open_index: int) -> tuple[tuple[tuple[str, str], ...], bool, int]:
    """Physical and metadata columns of a CREATE TABLE column list: (name, type text); whether
    it declares a PRIMARY KEY; the index after its closing parenthesis.

    Items are split at commas outside parentheses and, in a column's type, outside angle
    brackets too: `MAP<STRING, INT>` and `ROW<x INT, y STRING>` are one column each. In a
    computed column (`c AS a < b`) or a watermark, `<` is a comparison and is not counted."""
    items: list[list[Token]] = [[]]
    parens = angles = 0
    end = len(tokens)
    for index in range(open_index + 1, len(tokens)):
        token = tokens[index]
        if token.is_punct(")") and parens == 0:
            end = index + 1
            break
        parens += token.is_punct("(") - token.is_punct(")")
        if not _is_expression(items[-1]):
            angles = max(0, angles + token.is_punct("<") - token.is_punct(">"))
        if token.is_punct(",") and parens == 0 and angles == 0:
            items.append([])
        else:
            items[-1].append(token)
    columns = []
    primary_key = False
    for item in items:
        if item and (item[0].is_word("PRIMARY") or (item[0].is_word("CONSTRAINT")
                                                    and any(t.is_word("PRIMARY") for t in item))):
            primary_key = True
        if len(item) < 2 or _is_expression(item):
            continue  # constraints, watermarks and computed columns have no declared type
        type_end, depth = len(item), 0
        for k in range(1, len(item)):  # METADATA, COMMENT, ... after the type, not inside it
            if k >= 2 and depth == 0 and item[k].is_word(*_TYPE_CLAUSE_END):
                type_end = k
                break
            depth += item[k].is_punct("(") + item[k].is_punct("<") - item[k].is_punct(")") - item[k].is_punct(">")
        type_text = sql[item[1].start:item[type_end - 1].end]
        parse_type(type_text)
        columns.append((item[0].text, type_text))
    return tuple(columns), primary_key, end


def _table_options(tokens: list[Token], i: int) -> dict[str, str]:
    """`WITH ('key' = 'value', ...)` after a CREATE TABLE column list (at or after token i), the
    keys lower-cased; {} when there is none."""
    depth = 0
    for j in range(i, len(tokens) - 1):
        depth += tokens[j].is_punct("(") - tokens[j].is_punct(")")
        if depth == 0 and tokens[j].is_word("WITH") and tokens[j + 1].is_punct("("):
            options, k = {}, j + 2
            while k + 2 < len(tokens) and tokens[k].kind == "string" and tokens[k + 1].is_punct("=") \
                    and tokens[k + 2].kind == "string":
                options[tokens[k].text.lower()] = tokens[k + 2].text
                k += 3
                if k < len(tokens) and tokens[k].is_punct(","):
                    k += 1
            return options
        if depth == 0 and tokens[j].is_word("AS"):
            break
    return {}


def parse_type(text: str) -> dict:
    """A Flink SQL type (`STRING`, `DECIMAL(10, 2)`, `TIMESTAMP_LTZ(3) NOT NULL`, `INT ARRAY`,
    `MAP<STRING, ROW<a INT 'doc'>>`, `INTERVAL DAY TO SECOND(3)`, ...) as an OAS `DataType` object:
    what Flink's LogicalTypeJsonSerializer writes, with the OAS's snake_case keys. `type` is Flink's
    LogicalTypeRoot name, `nullable` is always there, and so is every parameter, defaults included
    (an interval's precisions too where its resolution does not use them). Tests/Fixtures/data-types.json
    holds the cases the Swift client must read the same way."""
    parser = _TypeParser(text)
    data_type = parser.data_type()
    if parser.i != len(parser.tokens):
        raise SqlError(f"Unsupported column type '{text}'.")
    return data_type


class _TypeParser:
    _PLAIN: ClassVar[dict[str, str]] = {"BOOLEAN": "BOOLEAN", "TINYINT": "TINYINT", "SMALLINT": "SMALLINT", "INT": "INTEGER",
              "INTEGER": "INTEGER", "BIGINT": "BIGINT", "FLOAT": "FLOAT", "DOUBLE": "DOUBLE", "DATE": "DATE",
              "NULL": "NULL"}
    # Flink's DDL defaults: CHAR and BINARY of one, VARCHAR and VARBINARY of the longest length.
    _SIZED: ClassVar[dict[str, int]] = {"CHAR": 1, "VARCHAR": MAX_LENGTH, "BINARY": 1, "VARBINARY": MAX_LENGTH}
    _DAY_TIME_ENDS: ClassVar[dict[str, tuple[str, ...]]] = {"DAY": ("HOUR", "MINUTE", "SECOND"), "HOUR": ("MINUTE", "SECOND"), "MINUTE": ("SECOND",)}
    _YEAR_PRECISION, _DAY_PRECISION, _FRACTIONAL_PRECISION = 2, 2, 6

    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    def data_type(self) -> dict:
        """A type, its nullability, then any `ARRAY` or `MULTISET` suffixes with theirs."""
        data_type = {**self._root(), "nullable": self._nullable()}
        while self.i < len(self.tokens) and self.tokens[self.i].is_word("ARRAY", "MULTISET"):
            root = self.tokens[self.i].text.upper()
            self.i += 1
            data_type = {"type": root, "element_type": data_type, "nullable": self._nullable()}
        return data_type

    def _nullable(self) -> bool:
        if self._accept("NOT", "NULL"):
            return False
        self._accept("NULL")
        return True

    def _root(self) -> dict:
        """The type without nullability: `type` and its parameters."""
        if self.i >= len(self.tokens) or self.tokens[self.i].kind != "word":
            raise SqlError(f"Unsupported column type '{self.text}'.")
        name = self.tokens[self.i].text.upper()
        self.i += 1
        if name in ("STRING", "BYTES"):
            return {"type": "VARCHAR" if name == "STRING" else "VARBINARY", "length": MAX_LENGTH}
        if name in self._SIZED:
            return {"type": name, "length": self._parameters(self._SIZED[name])[0]}
        if name in ("DECIMAL", "DEC", "NUMERIC"):
            precision, scale = self._parameters(10, 0)
            return {"type": "DECIMAL", "precision": precision, "scale": scale}
        if name == "TIME":
            precision = self._parameters(0)[0]
            self._accept("WITHOUT", "TIME", "ZONE")
            return {"type": "TIME_WITHOUT_TIME_ZONE", "precision": precision}
        if name in ("TIMESTAMP", "TIMESTAMP_LTZ"):
            precision = self._parameters(6)[0]
            if name == "TIMESTAMP_LTZ" or self._accept("WITH", "LOCAL", "TIME", "ZONE"):
                root = "TIMESTAMP_WITH_LOCAL_TIME_ZONE"
            elif self._accept("WITH", "TIME", "ZONE"):
                root = "TIMESTAMP_WITH_TIME_ZONE"
            else:
                self._accept("WITHOUT", "TIME", "ZONE")
                root = "TIMESTAMP_WITHOUT_TIME_ZONE"
            return {"type": root, "precision": precision}
        if name == "INTERVAL":
            return self._interval()
        if name in ("ARRAY", "MULTISET"):
            return {"type": name, "element_type": self._nested(1)[0]}
        if name == "MAP":
            key_type, value_type = self._nested(2)
            return {"type": name, "key_type": key_type, "value_type": value_type}
        if name == "ROW":
            return {"type": name, "fields": self._fields()}
        if name in self._PLAIN:
            if name == "DOUBLE":
                self._accept("PRECISION")
            return {"type": self._PLAIN[name]}
        raise SqlError(f"Unsupported column type '{self.text}'.")

    def _interval(self) -> dict:
        """`YEAR[(p)] [TO MONTH]`, `MONTH`, or `DAY[(p)]`, `HOUR`, `MINUTE`, `SECOND[(f)]` with an optional
        `TO HOUR | MINUTE | SECOND[(f)]` end (Flink's YearMonthResolution and DayTimeResolution)."""
        start = next((w for w in ("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND") if self._accept(w)), None)
        if start is None:
            raise SqlError(f"Unsupported column type '{self.text}'.")
        if start in ("YEAR", "MONTH"):
            precision = self._parameters(self._YEAR_PRECISION)[0] if start == "YEAR" else self._YEAR_PRECISION
            resolution = "YEAR_TO_MONTH" if start == "YEAR" and self._accept("TO", "MONTH") else start
            return {"type": "INTERVAL_YEAR_MONTH", "precision": precision, "resolution": resolution}
        precision = self._parameters(self._DAY_PRECISION)[0] if start == "DAY" else self._DAY_PRECISION
        end = next((w for w in self._DAY_TIME_ENDS.get(start, ()) if self._accept("TO", w)), None)
        fractional = self._FRACTIONAL_PRECISION
        if (end or start) == "SECOND":
            fractional = self._parameters(fractional)[0]
        return {"type": "INTERVAL_DAY_TIME", "precision": precision, "fractional_precision": fractional,
                "resolution": f"{start}_TO_{end}" if end else start}

    def _fields(self) -> list[dict]:
        """`<name T ['description'], ...>` or `(...)`: OAS `RowFieldType` objects."""
        close = ">" if self._punct("<") else ")" if self._punct("(") else None
        if close is None:
            raise SqlError(f"Unsupported column type '{self.text}'.")
        fields: list[dict] = []
        while not self._punct(close):
            if fields and not self._punct(","):
                raise SqlError(f"Unsupported column type '{self.text}'.")
            if self.i >= len(self.tokens) or not self.tokens[self.i].is_identifier:
                raise SqlError(f"Unsupported column type '{self.text}'.")
            field = {"name": self.tokens[self.i].text}
            self.i += 1
            field["field_type"] = self.data_type()
            if self.i < len(self.tokens) and self.tokens[self.i].kind == "string":
                field["description"] = self.tokens[self.i].text
                self.i += 1
            fields.append(field)
        return fields

    def _accept(self, *words: str) -> bool:
        if _accept_words(self.tokens, self.i, *words):
            self.i += len(words)
            return True
        return False

    def _punct(self, char: str) -> bool:
        if self.i < len(self.tokens) and self.tokens[self.i].is_punct(char):
            self.i += 1
            return True
        return False

    def _parameters(self, *defaults: int) -> list[int]:
        """`(n[, m])` after a type name, missing values taken from defaults."""
        values: list[int] = []
        if self._punct("("):
            while self.i < len(self.tokens) and self.tokens[self.i].kind == "number":
                values.append(int(self.tokens[self.i].text))
                self.i += 1
                self._punct(",")
            if not self._punct(")") or len(values) > len(defaults):
                raise SqlError(f"Unsupported column type '{self.text}'.")
        return values + list(defaults[len(values):])

    def _nested(self, count: int) -> list[dict]:
        """`<T>` or `<K, V>`."""
        if not self._punct("<"):
            raise SqlError(f"Unsupported column type '{self.text}'.")
        types = [self.data_type()]
        while len(types) < count and self._punct(","):
            types.append(self.data_type())
        if len(types) != count or not self._punct(">"):
            raise SqlError(f"Unsupported column type '{self.text}'.")
        return types
