-- The order worker's assignment of a whole claimed batch in one call (lib/dispatch/lifecycle.ts
-- claimAndAssignBatch). One statement per order cost 2-4 ms of server time each, most of it
-- executor start-up and planning of a 12-CTE statement, and per-row work spread over 25 round
-- trips. Here the choices (drone, drop cell, pickup cell) are made per order in a loop with
-- cached plans, and the writes are set-based: one insert or update per table for the batch.
-- The caller has claimed the orders (FOR NO KEY UPDATE) and passes them in claim order, with the
-- customer's notification text (written by lib/notifications/messages.ts, the single source).
-- Drones and cells are taken FOR UPDATE SKIP LOCKED, so workers never wait for each other; the
-- ones this batch took are excluded by id, since our own locks do not make SKIP LOCKED skip.
-- Every write is counted: a short count raises, and the caller's transaction rolls back whole.
CREATE OR REPLACE FUNCTION dispatch_assign_batch(
  p_orders jsonb,
  p_min_battery numeric,
  p_seen_since timestamptz,
  p_now timestamptz,
  p_reason text,
  p_channel text
) RETURNS TABLE (order_id uuid, outcome text, drone_id uuid, distance_m float8)
LANGUAGE plpgsql
SET enable_seqscan = off
AS $$
#variable_conflict use_column
DECLARE
  o record;
  cand record;
  g_ids uuid[];
  g_chord float8;
  v_seen uuid[];
  v_rows int;
  v_lat float8;
  v_lon float8;
  v_drone uuid;
  v_battery float8;
  v_distance float8;
  v_internal uuid;
  v_internal_no int;
  v_external uuid;
  v_n int;
  v_woken int;
  -- What this batch took (excluded from later picks) and will write.
  a_n int[] := '{}';
  a_order uuid[] := '{}';
  a_delivery uuid[] := '{}';
  a_automat uuid[] := '{}';
  a_drone uuid[] := '{}';
  a_battery float8[] := '{}';
  a_distance float8[] := '{}';
  a_internal uuid[] := '{}';
  a_internal_no int[] := '{}';
  a_external uuid[] := '{}';
  a_new_external uuid[] := '{}';
BEGIN
  FOR o IN
    SELECT * FROM jsonb_to_recordset(p_orders) AS x(
      n int, order_id uuid, automat_id uuid, pickup_cell_id uuid, lat float8, lon float8,
      height numeric, length numeric, width numeric, delivery_id uuid)
    ORDER BY x.n
  LOOP
    -- The nearest idle, charged, recently seen drone on no active delivery, locked. A KNN walk
    -- of idx_drones_idle_position streams the candidates nearest first by their dispatch
    -- position (a 0.0001 degree grid, see the drones table; no position sorts last); each group
    -- at one grid distance is then locked in order of exact distance, higher battery, then id,
    -- FOR UPDATE SKIP LOCKED with the rules checked again on the row as locked. One
    -- statement ordered by distance, battery and id would make the sort read 32 candidates and
    -- probe deliveries for each before locking one; this reads about two.
    v_drone := NULL;
    g_ids := '{}';
    g_chord := NULL;
    v_seen := '{}';
    -- In windows of 16 (a LIMIT keeps the plan a KNN walk: without one the planner would sort
    -- every idle drone to return them all); the next window leaves out the ones already seen.
    LOOP
      v_rows := 0;
      FOR cand IN
        SELECT d.id, ll_to_earth(d.dispatch_lat, d.dispatch_lon) <-> ll_to_earth(o.lat, o.lon) AS chord
          FROM drones d
         WHERE d.status = 'idle' AND d.battery_level > p_min_battery AND d.last_seen_at > p_seen_since
           AND d.id <> ALL (a_drone) AND d.id <> ALL (v_seen)
         ORDER BY ll_to_earth(d.dispatch_lat, d.dispatch_lon) <-> ll_to_earth(o.lat, o.lon)
         LIMIT 16
      LOOP
        v_rows := v_rows + 1;
        v_seen := v_seen || cand.id;
        IF cardinality(g_ids) > 0 AND cand.chord IS DISTINCT FROM g_chord THEN
          SELECT d.id, d.battery_level::float8, d.last_lat, d.last_lon INTO v_drone, v_battery, v_lat, v_lon
            FROM drones d
           WHERE d.id = ANY (g_ids) AND d.status = 'idle' AND d.battery_level > p_min_battery AND d.last_seen_at > p_seen_since
             AND NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.drone_id = d.id AND x.status IN ('pending', 'assigned', 'in_progress'))
           ORDER BY 2 * 6371008.8 * asin(sqrt(
               power(sin(radians(d.last_lat - o.lat) / 2), 2) +
               cos(radians(o.lat)) * cos(radians(d.last_lat)) * power(sin(radians(d.last_lon - o.lon) / 2), 2))) NULLS LAST,
             d.battery_level DESC, d.id ASC
           LIMIT 1 FOR UPDATE SKIP LOCKED;
          EXIT WHEN v_drone IS NOT NULL;
          g_ids := '{}';
        END IF;
        g_ids := g_ids || cand.id;
        g_chord := cand.chord;
      END LOOP;
      EXIT WHEN v_drone IS NOT NULL OR v_rows < 16;
    END LOOP;
    IF v_drone IS NULL AND cardinality(g_ids) > 0 THEN
      -- The walk ran out: the last group.
      SELECT d.id, d.battery_level::float8, d.last_lat, d.last_lon INTO v_drone, v_battery, v_lat, v_lon
        FROM drones d
       WHERE d.id = ANY (g_ids) AND d.status = 'idle' AND d.battery_level > p_min_battery AND d.last_seen_at > p_seen_since
         AND NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.drone_id = d.id AND x.status IN ('pending', 'assigned', 'in_progress'))
       ORDER BY 2 * 6371008.8 * asin(sqrt(
               power(sin(radians(d.last_lat - o.lat) / 2), 2) +
               cos(radians(o.lat)) * cos(radians(d.last_lat)) * power(sin(radians(d.last_lon - o.lon) / 2), 2))) NULLS LAST,
         d.battery_level DESC, d.id ASC
       LIMIT 1 FOR UPDATE SKIP LOCKED;
    END IF;
    -- The great-circle distance in metres (what the timeline reports).
    v_distance := 2 * 6371008.8 * asin(sqrt(
      power(sin(radians(v_lat - o.lat) / 2), 2) +
      cos(radians(o.lat)) * cos(radians(v_lat)) * power(sin(radians(v_lon - o.lon) / 2), 2)));
    IF v_drone IS NULL THEN
      order_id := o.order_id; outcome := 'no_drone'; drone_id := NULL; distance_m := NULL;
      RETURN NEXT;
      CONTINUE;
    END IF;

    SELECT c.id, c.cell_number INTO v_internal, v_internal_no
      FROM locker_cells_internal c
     WHERE c.post_id = o.automat_id AND c.status = 'available' AND c.id <> ALL (a_internal)
     ORDER BY c.cell_number
     LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
      order_id := o.order_id; outcome := 'no_internal_cell'; drone_id := NULL; distance_m := NULL;
      RETURN NEXT;
      CONTINUE;
    END IF;

    v_external := o.pickup_cell_id;
    IF v_external IS NULL THEN
      -- The smallest free pickup cell the good fits, turned any way (lib/orders/fit.ts).
      SELECT c.id INTO v_external
        FROM locker_cells_out c
       WHERE c.post_id = o.automat_id AND c.status = 'available' AND c.id <> ALL (a_new_external)
         AND greatest(c.height, c.length, c.width)::numeric >= greatest(o.height, o.length, o.width)
         AND least(c.height, c.length, c.width)::numeric >= least(o.height, o.length, o.width)
         AND (c.height + c.length + c.width - greatest(c.height, c.length, c.width) - least(c.height, c.length, c.width))::numeric
             >= o.height + o.length + o.width - greatest(o.height, o.length, o.width) - least(o.height, o.length, o.width)
       ORDER BY c.height * c.length * c.width, c.cell_number
       LIMIT 1 FOR UPDATE SKIP LOCKED;
      IF NOT FOUND THEN
        order_id := o.order_id; outcome := 'no_external_cell'; drone_id := NULL; distance_m := NULL;
        RETURN NEXT;
        CONTINUE;
      END IF;
      a_new_external := a_new_external || v_external;
    END IF;

    a_n := a_n || o.n;
    a_order := a_order || o.order_id;
    a_delivery := a_delivery || o.delivery_id;
    a_automat := a_automat || o.automat_id;
    a_drone := a_drone || v_drone;
    a_battery := a_battery || v_battery;
    a_distance := a_distance || v_distance;
    a_internal := a_internal || v_internal;
    a_internal_no := a_internal_no || v_internal_no;
    a_external := a_external || v_external;
    order_id := o.order_id; outcome := 'assigned'; drone_id := v_drone; distance_m := v_distance;
    RETURN NEXT;
  END LOOP;

  IF cardinality(a_order) = 0 THEN
    RETURN;
  END IF;

  INSERT INTO deliveries (id, order_id, drone_id, parcel_automat_id, internal_locker_cell_id, status, created_at, updated_at)
  SELECT u.id, u.order_id, u.drone_id, u.automat_id, u.internal_id, 'assigned', p_now, p_now
    FROM unnest(a_delivery, a_order, a_drone, a_automat, a_internal) AS u(id, order_id, drone_id, automat_id, internal_id);
  GET DIAGNOSTICS v_n = ROW_COUNT;
  IF v_n <> cardinality(a_order) THEN RAISE EXCEPTION 'dispatch_assign_batch: % of % deliveries written', v_n, cardinality(a_order); END IF;

  UPDATE orders t SET status = 'processing', locker_cell_id = u.external_id, updated_at = p_now
    FROM unnest(a_order, a_external) AS u(id, external_id)
   WHERE t.id = u.id AND t.status = 'pending';
  GET DIAGNOSTICS v_n = ROW_COUNT;
  IF v_n <> cardinality(a_order) THEN RAISE EXCEPTION 'dispatch_assign_batch: % of % orders were still pending', v_n, cardinality(a_order); END IF;

  UPDATE drones t SET status = 'busy', updated_at = p_now WHERE t.id = ANY (a_drone) AND t.status = 'idle';
  GET DIAGNOSTICS v_n = ROW_COUNT;
  IF v_n <> cardinality(a_order) THEN RAISE EXCEPTION 'dispatch_assign_batch: % of % drones were still idle', v_n, cardinality(a_order); END IF;

  UPDATE locker_cells_internal t SET status = 'reserved' WHERE t.id = ANY (a_internal) AND t.status = 'available';
  GET DIAGNOSTICS v_n = ROW_COUNT;
  IF v_n <> cardinality(a_order) THEN RAISE EXCEPTION 'dispatch_assign_batch: % of % drop cells were still available', v_n, cardinality(a_order); END IF;

  IF cardinality(a_new_external) > 0 THEN
    UPDATE locker_cells_out t SET status = 'reserved' WHERE t.id = ANY (a_new_external) AND t.status = 'available';
    GET DIAGNOSTICS v_n = ROW_COUNT;
    IF v_n <> cardinality(a_new_external) THEN RAISE EXCEPTION 'dispatch_assign_batch: % of % pickup cells were still available', v_n, cardinality(a_new_external); END IF;
  END IF;

  -- The timeline: per order, the delivery's event before the order's (ids in that order).
  INSERT INTO delivery_events (order_id, delivery_id, entity, event, from_status, to_status, actor_type, actor_id, details)
  SELECT u.order_id, u.delivery_id, e.entity, 'assigned', e.from_status, e.to_status, 'worker', NULL, e.details
    FROM unnest(a_n, a_order, a_delivery, a_drone, a_battery, a_distance, a_internal_no)
         AS u(n, order_id, delivery_id, drone_id, battery, distance, internal_no)
    CROSS JOIN LATERAL (VALUES
      (1, 'delivery', NULL, 'assigned', jsonb_build_object(
        'drone_id', u.drone_id, 'distance_m', round(u.distance)::int, 'battery_level', u.battery,
        'internal_cell_number', u.internal_no, 'reason', p_reason)),
      (2, 'order', 'pending', 'processing', '{}'::jsonb)) AS e(k, entity, from_status, to_status, details)
   ORDER BY u.n, e.k;
  GET DIAGNOSTICS v_n = ROW_COUNT;
  IF v_n <> 2 * cardinality(a_order) THEN RAISE EXCEPTION 'dispatch_assign_batch: % of % timeline events written', v_n, 2 * cardinality(a_order); END IF;

  -- The customer's "a drone took your order", one outbox row per assignment (dedupe_key as
  -- lib/notifications/outbox.ts writes it), and a NOTIFY to wake the sender for each.
  WITH n AS (
    INSERT INTO notifications (user_id, order_id, kind, title, body, data, dedupe_key)
    SELECT x.user_id, x.order_id, 'order_assigned', left(x.title, 200), left(x.body, 1000), x.data,
           'order_assigned:' || x.order_id || ':' || x.delivery_id
      FROM jsonb_to_recordset(p_orders) AS x(n int, order_id uuid, delivery_id uuid, user_id uuid, title text, body text, data jsonb)
     WHERE x.order_id = ANY (a_order)
     ORDER BY x.n
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id)
  SELECT count(pg_notify(p_channel, n.id::text))::int INTO v_woken FROM n;
  RETURN;
END;
$$;
--> statement-breakpoint
-- The drop cell is the free one with the lowest number at the locker. Walking the (post_id,
-- cell_number) index read every reserved cell before the first free one (0.4 ms per pick once
-- a locker had 500 parcels on the way); this partial index holds only the free cells.
CREATE INDEX IF NOT EXISTS "idx_locker_cells_internal_available" ON "locker_cells_internal" ("post_id", "cell_number") WHERE "status" = 'available';
