-- Every redirect of a tracked link writes a click row (issue 4). Its index by campaign carried
-- the address too, a long key compared on every insert; the report reads a campaign's clicks by
-- campaign_id alone and groups them itself (campaigns/click_store.cpp clicks_per_link), so the
-- index keeps only campaign_id (measured on SQLite: 2.6 -> 1.8 us per inserted click).
DROP INDEX campaign_clicks_campaign;
CREATE INDEX campaign_clicks_campaign ON campaign_clicks(campaign_id);
