"""Schema migrations, in order. Each is applied once and recorded in `schema_migrations`.

`{pk}` and `{json}` are filled per dialect so SQLite and PostgreSQL share one schema.
"""

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "profile and impact log",
        [
            """CREATE TABLE profile (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                data {json} NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE entries (
                id {pk},
                date TEXT NOT NULL,
                title TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                metric TEXT NOT NULL DEFAULT '',
                kind TEXT NOT NULL,
                next_level INTEGER NOT NULL DEFAULT 0,
                source TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX entries_date ON entries (date)",
        ],
    ),
    (
        2,
        "artifacts, conversations, scorecards, model calls, kv",
        [
            """CREATE TABLE artifacts (
                id {pk},
                kind TEXT NOT NULL,
                name TEXT NOT NULL,
                version INTEGER NOT NULL,
                content TEXT NOT NULL,
                meta {json} NOT NULL DEFAULT '{{}}',
                created_at TEXT NOT NULL,
                UNIQUE (kind, name, version)
            )""",
            """CREATE TABLE conversations (
                id {pk},
                kind TEXT NOT NULL,
                title TEXT NOT NULL DEFAULT '',
                meta {json} NOT NULL DEFAULT '{{}}',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE messages (
                id {pk},
                conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                role TEXT NOT NULL,
                content TEXT NOT NULL,
                meta {json} NOT NULL DEFAULT '{{}}',
                created_at TEXT NOT NULL
            )""",
            "CREATE INDEX messages_conversation ON messages (conversation_id, id)",
            """CREATE TABLE scorecards (
                id {pk},
                conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                score REAL NOT NULL,
                data {json} NOT NULL,
                created_at TEXT NOT NULL
            )""",
            """CREATE TABLE llm_calls (
                id {pk},
                at TEXT NOT NULL,
                model TEXT NOT NULL,
                prompt_name TEXT NOT NULL DEFAULT '',
                prompt_version TEXT NOT NULL DEFAULT '',
                prompt_tokens INTEGER NOT NULL DEFAULT 0,
                completion_tokens INTEGER NOT NULL DEFAULT 0,
                cost_usd REAL,
                latency_s REAL NOT NULL DEFAULT 0,
                first_token_s REAL,
                outcome TEXT NOT NULL,
                error TEXT NOT NULL DEFAULT ''
            )""",
            """CREATE TABLE kv (
                key TEXT PRIMARY KEY,
                value {json} NOT NULL,
                updated_at TEXT NOT NULL
            )""",
        ],
    ),
    (
        3,
        "harvest inbox",
        [
            # A candidate drafted from a source, waiting for the user; kept after it is
            # accepted or rejected, so a later harvest of the same source skips it.
            """CREATE TABLE inbox (
                id {pk},
                source TEXT NOT NULL,
                link TEXT NOT NULL DEFAULT '',
                work_key TEXT NOT NULL,
                date TEXT NOT NULL,
                title TEXT NOT NULL,
                data {json} NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending',
                entry_id INTEGER,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX inbox_status ON inbox (status, id)",
        ],
    ),
]

# Every table a backup carries, parents before children (restore inserts in this order).
TABLES = ["profile", "entries", "artifacts", "conversations", "messages", "scorecards",
          "llm_calls", "kv", "inbox"]
# Tables whose `id` comes from a sequence (PostgreSQL needs it moved past restored ids).
SERIAL_TABLES = ["entries", "artifacts", "conversations", "messages", "scorecards", "llm_calls",
                 "inbox"]
