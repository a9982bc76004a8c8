-- What an agent may do (the console's agents section): a deactivated agent cannot sign
-- in and gets nothing; an agent without the live-chat permission is never given a chat
-- by routing (they still see the inbox and meetings).
ALTER TABLE agents ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE agents ADD COLUMN live_chat INTEGER NOT NULL DEFAULT 1;
