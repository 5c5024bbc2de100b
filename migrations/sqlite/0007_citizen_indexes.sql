-- Citizen lists at a million people (issue 3, bench/citizens): the filter restricted=true
-- finds the few people whose processing is restricted (GDPR Art. 18) through this small
-- partial index, in id order as the list pages, instead of walking everyone to find none.
CREATE INDEX citizens_restricted ON citizens(id) WHERE restricted_at IS NOT NULL;
