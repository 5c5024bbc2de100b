-- Imports of uploaded files run by the job worker (issue 3: large files with progress in the
-- admin screen). One row per upload: the file until it has been processed, the progress, and
-- the report. The file is personal data and is deleted as soon as the run ends; the whole row
-- 30 days after that (its report can quote an e-mail address of a refused row).
-- state: queued -> running -> done (imported) | refused (rows refused, nothing written) |
-- failed (the file could not be read, or the database failed on every attempt).
CREATE TABLE import_runs (
    id BIGSERIAL PRIMARY KEY,
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'done', 'refused', 'failed')),
    file_name TEXT NOT NULL DEFAULT '',
    content BYTEA,
    mapping TEXT NOT NULL DEFAULT '{}',
    actor TEXT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    rows_total BIGINT,
    rows_done BIGINT NOT NULL DEFAULT 0,
    report TEXT,
    error TEXT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT
);
CREATE INDEX import_runs_finished ON import_runs(finished_at);
