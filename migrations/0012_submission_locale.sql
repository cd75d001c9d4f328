-- The language the resident applied in: later mails about the application (its case's status
-- changes) are written in it. Submissions made before this are Japanese.
ALTER TABLE applications.submissions ADD COLUMN locale text NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'ja-easy', 'en'));
