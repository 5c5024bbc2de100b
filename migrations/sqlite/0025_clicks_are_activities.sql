-- A click on a tracked link is its activity "email.clicked" (props: campaign_id, url, topic);
-- the campaign report counts those (issue 4). Every click had also been written as a row of
-- campaign_clicks with its own indexes and foreign keys, the same facts twice, and the second
-- row was a quarter of what recording a click cost. The clicks recorded so far are all in the
-- activity log too (the recorder has always written both), so the table goes.
-- The report finds a campaign's clicks through this partial index on the campaign id in props
-- (campaigns/click_store.cpp uses the same expression). Only Teilhabe writes email.* activities.
CREATE INDEX activities_clicks ON activities(json_extract(props, '$.campaign_id')) WHERE type = 'email.clicked';
DROP TABLE campaign_clicks;
