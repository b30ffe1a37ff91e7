-- A confirmed subscriber's new choice of components waits for its own confirmation; confirmation
-- mails to one address are limited per window, whoever asks.
ALTER TABLE subscriber ADD COLUMN pending_components TEXT;
ALTER TABLE subscriber ADD COLUMN confirmations_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscriber ADD COLUMN confirmation_window_start TIMESTAMPTZ;
