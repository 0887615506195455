-- SMS sign-in codes are now stored as an HMAC (next migration narrows the column's check to
-- one). Codes in plain text cannot be converted here (the key is not in the database); they
-- live 5 minutes and the customer asks for a new one, so pending ones are voided.
UPDATE "users" SET "verification_code" = NULL, "code_expires_at" = NULL, "code_attempts" = 0 WHERE "verification_code" IS NOT NULL;
