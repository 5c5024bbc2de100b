-- Campaigns (issue 4): one e-mail to the confirmed subscribers of its topics. The recipients
-- are rows of the outbox (0008), made when the campaign starts. Times are Unix milliseconds.

-- state: draft -> scheduled -> sending -> finished; paused and cancelled on the way
-- (campaigns/campaign.h). body is Markdown with personalisation.
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    preheader TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'draft',
    scheduled_at BIGINT,
    started_at BIGINT,
    finished_at BIGINT,
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX campaigns_state ON campaigns(state, id);

-- The topics whose confirmed subscribers receive the campaign, in the order staff chose them.
CREATE TABLE campaign_topics (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, topic_id)
);
CREATE INDEX campaign_topics_topic ON campaign_topics(topic_id);

-- Clicks on tracked links (/r/{token}), only of people who consented to tracking. Personal
-- data: listed in gdpr/personal_data.cpp (exported, deleted on erasure).
CREATE TABLE campaign_clicks (
    id INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    citizen_id BIGINT NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    topic_key TEXT NOT NULL DEFAULT '',
    clicked_at BIGINT NOT NULL
);
CREATE INDEX campaign_clicks_campaign ON campaign_clicks(campaign_id, url);
CREATE INDEX campaign_clicks_citizen ON campaign_clicks(citizen_id);

-- Unsubscribes through a campaign's link or one-click header (for its report). Personal data.
CREATE TABLE campaign_unsubscribes (
    id INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    citizen_id BIGINT NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    at BIGINT NOT NULL
);
CREATE INDEX campaign_unsubscribes_campaign ON campaign_unsubscribes(campaign_id);
CREATE INDEX campaign_unsubscribes_citizen ON campaign_unsubscribes(citizen_id);
