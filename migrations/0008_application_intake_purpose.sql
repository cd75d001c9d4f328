-- A purpose of its own for reading the register while someone applies: pre-filling what the
-- town knows and checking eligibility at submission. Residents hold it for their own
-- applications; counter clerks and case officers for applications they key in.
INSERT INTO access.purposes (code, name_ja, name_en, description_ja, sensitive_fields) VALUES
  ('application-intake', '申請の受付', 'application intake', '申請書に町の記録を記入し、申請の資格と世帯を住民記録で確かめるため', '{}');

UPDATE access.roles SET purposes = array_append(purposes, 'application-intake') WHERE code IN ('counter-clerk', 'case-officer');
