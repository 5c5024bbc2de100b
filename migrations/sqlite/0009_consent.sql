-- Newsletters and consent (issue 4): topics offered for sign-up, versioned consent texts, the
-- consent of each person per topic and for click tracking with its proof (GDPR Art. 7(1)),
-- an append-only history of every request, confirmation and withdrawal, the single-use tokens
-- of the double opt-in (hashed), and the sign-up rate limit. Times are Unix milliseconds.
-- Booleans are INTEGER 0/1 on both engines.

ALTER TABLE topics ADD COLUMN description_de TEXT NOT NULL DEFAULT '';
ALTER TABLE topics ADD COLUMN description_en TEXT NOT NULL DEFAULT '';
-- Offered on the public sign-up form (a non-public topic is subscribed by staff or the portal).
ALTER TABLE topics ADD COLUMN is_public INTEGER NOT NULL DEFAULT 1;
-- Archived: no longer offered nor sent; kept because consents refer to it.
ALTER TABLE topics ADD COLUMN archived_at BIGINT;
ALTER TABLE topics ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

-- The exact text shown beside the checkboxes. Editing makes a new version; old ones stay,
-- because consents name the version they were given under.
CREATE TABLE consent_texts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('newsletter', 'tracking')),
    version INTEGER NOT NULL,
    text_de TEXT NOT NULL,
    text_en TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (kind, version)
);
INSERT INTO consent_texts (kind, version, text_de, text_en, created_by, created_at) VALUES
 ('newsletter', 1,
  'Ja, ich möchte die ausgewählten Newsletter der Stadt per E-Mail erhalten. Meine E-Mail-Adresse wird nur dafür verwendet. Ich kann die Einwilligung jederzeit über den Abmeldelink in jeder E-Mail widerrufen.',
  'Yes, I would like to receive the selected newsletters of the town by e-mail. My e-mail address is used only for this. I can withdraw my consent at any time through the unsubscribe link in every e-mail.',
  'system', 0),
 ('tracking', 1,
  'Ja, die Stadt darf auswerten, welche Links ich in ihren E-Mails anklicke, um mir passendere Informationen zu senden. Ich kann das jederzeit widerrufen.',
  'Yes, the town may record which links I click in its e-mails in order to send me more relevant information. I can withdraw this at any time.',
  'system', 0);

-- The current consent of one person for one subject: 'topic:<id>' (with topic_id) or
-- 'tracking'. pending -> confirmed (double opt-in) -> withdrawn; a new request after a
-- withdrawal starts again at pending with new proof (the old proof stays in consent_events).
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    topic_id INTEGER REFERENCES topics(id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'withdrawn')),
    consent_text_id INTEGER NOT NULL REFERENCES consent_texts(id),
    via TEXT NOT NULL DEFAULT 'form',
    requested_at BIGINT NOT NULL,
    request_ip TEXT NOT NULL DEFAULT '',
    request_user_agent TEXT NOT NULL DEFAULT '',
    request_form TEXT NOT NULL DEFAULT '',
    confirmed_at BIGINT,
    confirm_ip TEXT NOT NULL DEFAULT '',
    confirm_user_agent TEXT NOT NULL DEFAULT '',
    withdrawn_at BIGINT,
    withdraw_ip TEXT NOT NULL DEFAULT '',
    withdraw_user_agent TEXT NOT NULL DEFAULT '',
    withdraw_via TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    UNIQUE (citizen_id, subject)
);
-- The campaign audience: confirmed subscribers of topics X.
CREATE INDEX consents_topic ON consents(topic_id, status, citizen_id);

-- Every step with its proof, never changed: the history behind consents.
CREATE TABLE consent_events (
    id INTEGER PRIMARY KEY,
    citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    topic_id INTEGER REFERENCES topics(id),
    action TEXT NOT NULL CHECK (action IN ('requested', 'confirmed', 'withdrawn')),
    consent_text_id INTEGER REFERENCES consent_texts(id),
    via TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    form_url TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consent_events_citizen ON consent_events(citizen_id, at);

-- Double opt-in tokens: only the SHA-256 of the token is stored. consent_ids is a JSON array
-- of the consents the mail confirms.
CREATE TABLE consent_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    consent_ids TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX consent_tokens_citizen ON consent_tokens(citizen_id);

-- Sign-up attempts for the rate limit, per client address and per (keyed hash of the) e-mail
-- address; no citizen reference, pruned as they age.
CREATE TABLE signup_attempts (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX signup_attempts_scope ON signup_attempts(scope, at);
