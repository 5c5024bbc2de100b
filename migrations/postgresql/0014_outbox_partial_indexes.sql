-- The sender's two indexes hold only the rows it looks for (issue 4, delivery benchmark):
-- queued rows by due time, claimed rows by the end of their lease. A sent, bounced or
-- otherwise terminal row leaves both, so recording a result removes one index entry instead of
-- moving two, the indexes stay as small as the work still to do, and a claim reads the first
-- due rows in index order instead of sorting every due row.
DROP INDEX outbox_due;
DROP INDEX outbox_claims;
CREATE INDEX outbox_due ON outbox(due_at, id) WHERE state = 'queued';
CREATE INDEX outbox_claims ON outbox(claim_until, id) WHERE state = 'claimed';
