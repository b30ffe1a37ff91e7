-- Fills the sample tables; :users is the number of users, everything else scales from it.
INSERT INTO users (email, full_name, country, plan, created_at)
SELECT 'user' || g || '@example.com',
       (ARRAY['Ada','Grace','Linus','Margaret','Ken','Barbara','Edsger','Frances'])[1 + g % 8] || ' ' ||
       (ARRAY['Lovelace','Hopper','Torvalds','Hamilton','Thompson','Liskov','Dijkstra','Allen'])[1 + (g / 8) % 8],
       (ARRAY['US','CA','GB','DE','FR'])[1 + g % 5],
       (ARRAY['free','free','plus','pro'])[1 + g % 4],
       now() - (g % 730) * interval '1 day'
FROM generate_series(1, :users) AS g;

INSERT INTO food_items (name, category, brand, price_cents, nutrition, updated_at)
SELECT (ARRAY['Organic','Fresh','Whole','Low-fat','Gluten-free'])[1 + g % 5] || ' ' ||
       (ARRAY['bananas','milk','bread','eggs','spinach','salmon','rice','yogurt','apples','coffee'])[1 + g % 10] || ' #' || g,
       (ARRAY['produce','dairy','bakery','meat','pantry','beverages'])[1 + g % 6],
       CASE WHEN g % 3 = 0 THEN NULL ELSE 'Brand ' || (g % 40) END,
       99 + (g * 37) % 2000,
       jsonb_build_object('kcal', 50 + g % 600, 'protein_g', g % 40, 'fat_g', g % 25,
                          'allergens', CASE WHEN g % 4 = 0 THEN '["nuts"]'::jsonb ELSE '[]'::jsonb END),
       now() - (g % 90) * interval '1 day'
FROM generate_series(1, greatest(50, :users / 2)) AS g;

INSERT INTO orders (user_id, provider, status, total_cents, delivery_addr, created_at)
SELECT 1 + (g::bigint * 7919) % :users,
       (ARRAY['instacart','shipt'])[1 + g % 2],
       (ARRAY['delivered','delivered','delivered','cancelled','in_transit','placed'])[1 + g % 6],
       500 + (g * 131) % 20000,
       (100 + g % 9000) || ' Market Street, Springfield',
       now() - (g % 365) * interval '1 day' - (g % 1440) * interval '1 minute'
FROM generate_series(1, :users * 3) AS g;

INSERT INTO order_items (order_id, food_item_id, quantity, unit_price_cents)
SELECT 1 + (g - 1) / 3,
       1 + (g::bigint * 104729) % greatest(50, :users / 2),
       1 + g % 4,
       99 + (g * 37) % 2000
FROM generate_series(1, :users * 9) AS g;

INSERT INTO provider_events (provider, order_id, event_type, payload, received_at)
SELECT (ARRAY['instacart','shipt'])[1 + ((g - 1) / 2) % 2],
       1 + (g - 1) / 2,
       (ARRAY['order.accepted','order.delivered'])[1 + g % 2],
       jsonb_build_object('event_id', md5(g::text), 'shopper', jsonb_build_object('id', g % 5000, 'rating', 3 + g % 3),
                          'items', jsonb_build_array(jsonb_build_object('sku', 'SKU' || g % 10000, 'qty', 1 + g % 4)),
                          'note', repeat('x', g % 64)),
       now() - (g % 365) * interval '1 day'
FROM generate_series(1, :users * 6) AS g;

ANALYZE users, food_items, orders, order_items, provider_events;
