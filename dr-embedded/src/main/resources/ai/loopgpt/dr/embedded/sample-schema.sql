-- The shape of LoopGPT's production database, for the local run, tests and benchmarks.
CREATE TABLE IF NOT EXISTS users (
    id          BIGSERIAL PRIMARY KEY,
    email       TEXT        NOT NULL UNIQUE,
    full_name   TEXT        NOT NULL,
    country     CHAR(2)     NOT NULL,
    plan        TEXT        NOT NULL CHECK (plan IN ('free', 'plus', 'pro')),
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS food_items (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT        NOT NULL,
    category    TEXT        NOT NULL,
    brand       TEXT,
    price_cents INTEGER     NOT NULL CHECK (price_cents >= 0),
    nutrition   JSONB       NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS orders (
    id            BIGSERIAL PRIMARY KEY,
    user_id       BIGINT      NOT NULL REFERENCES users (id),
    provider      TEXT        NOT NULL CHECK (provider IN ('instacart', 'shipt')),
    status        TEXT        NOT NULL,
    total_cents   INTEGER     NOT NULL,
    delivery_addr TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_user_idx ON orders (user_id);

CREATE TABLE IF NOT EXISTS order_items (
    id               BIGSERIAL PRIMARY KEY,
    order_id         BIGINT  NOT NULL REFERENCES orders (id),
    food_item_id     BIGINT  NOT NULL REFERENCES food_items (id),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS order_items_order_idx ON order_items (order_id);

CREATE TABLE IF NOT EXISTS provider_events (
    id          BIGSERIAL PRIMARY KEY,
    provider    TEXT        NOT NULL,
    order_id    BIGINT      REFERENCES orders (id),
    event_type  TEXT        NOT NULL,
    payload     JSONB       NOT NULL,
    received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS provider_events_order_idx ON provider_events (order_id);
