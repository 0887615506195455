-- The ingest function of 0012, with the per-reading writes made HOT updates where the data
-- allows (no index entries, the new row version on the same page):
-- - an online session is found by its start (idx_drone_online_sessions_drone_started, 0015),
--   and extended only when the span reaches past it;
-- - room on each page for the next version of a row that changes every second.
-- A batch of one reading (the 1 Hz case) skips the sorting and the span grouping.
-- Same signature, result and rules as 0012; the rules are documented next to its caller,
-- ingestTelemetry() in lib/telemetry/record.ts.
ALTER TABLE drone_online_sessions SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE drones SET (fillfactor = 50);--> statement-breakpoint
CREATE OR REPLACE FUNCTION skypost_record_telemetry(
    p_drone_id uuid,
    p_key_hash text,
    p_now timestamptz,
    p_gap_s double precision,
    p_recorded_at timestamptz[],
    p_lat double precision[],
    p_lon double precision[],
    p_altitude_m double precision[],
    p_heading_deg double precision[],
    p_speed_mps double precision[],
    p_battery_level numeric[],
    p_status text[]
) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_gap interval := make_interval(secs => p_gap_s);
    v_n integer := coalesce(array_length(p_recorded_at, 1), 0);
    v_was varchar;
    v_status varchar;
    v_stored integer;
    v_i integer;
    v_at timestamptz;
    v_starts timestamptz[];
    v_ends timestamptz[];
    v_session record;
BEGIN
    -- The row lock serialises one drone's requests, so its sessions are never updated
    -- concurrently; other drones are not blocked.
    SELECT d.status INTO v_was
      FROM drones d
     WHERE d.id = p_drone_id AND (p_key_hash IS NULL OR d.api_key_hash = p_key_hash)
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    -- A plain insert, so it works the same on a partitioned drone_telemetry.
    INSERT INTO drone_telemetry (drone_id, recorded_at, received_at, lat, lon, altitude_m, heading_deg, speed_mps, battery_level, status)
    SELECT p_drone_id, r.recorded_at, p_now, r.lat, r.lon, r.altitude_m, r.heading_deg, r.speed_mps, r.battery_level, r.status
      FROM unnest(p_recorded_at, p_lat, p_lon, p_altitude_m, p_heading_deg, p_speed_mps, p_battery_level, p_status)
           AS r(recorded_at, lat, lon, altitude_m, heading_deg, speed_mps, battery_level, status);
    GET DIAGNOSTICS v_stored = ROW_COUNT;
    IF v_stored = 0 THEN
        RETURN 0;
    END IF;

    -- v_i: the newest reading, which sets the drone's state; of readings with the same time,
    -- the last sent. The spans: the batch's times as runs of readings at most the gap apart
    -- (usually one).
    IF v_n = 1 THEN
        v_i := 1;
        v_starts := p_recorded_at;
        v_ends := p_recorded_at;
    ELSE
        SELECT u.i INTO v_i
          FROM unnest(p_recorded_at) WITH ORDINALITY AS u(t, i)
         ORDER BY u.t DESC, u.i DESC
         LIMIT 1;
        SELECT array_agg(started_at ORDER BY span), array_agg(ended_at ORDER BY span)
          INTO v_starts, v_ends
          FROM (SELECT span, min(t) AS started_at, max(t) AS ended_at
                  FROM (SELECT t, sum(CASE WHEN t - prev > v_gap THEN 1 ELSE 0 END) OVER (ORDER BY t) AS span
                          FROM (SELECT t, lag(t) OVER (ORDER BY t) AS prev FROM unnest(p_recorded_at) AS u(t)) a) b
                 GROUP BY span) c;
    END IF;
    v_at := p_recorded_at[v_i];

    -- Online sessions: each span joins the drone's session it touches (within the gap) or
    -- opens a new one. The candidate is the session that started last, at most the gap after
    -- the span's end: sessions are found by their start, so that extending one (its end moves
    -- at every reading) touches no B-tree index.
    FOR k IN 1 .. array_length(v_starts, 1) LOOP
        SELECT s.id, s.started_at, s.ended_at INTO v_session
          FROM drone_online_sessions s
         WHERE s.drone_id = p_drone_id
           AND s.started_at <= v_ends[k] + v_gap
         ORDER BY s.started_at DESC
         LIMIT 1;
        IF FOUND AND v_session.ended_at >= v_starts[k] - v_gap THEN
            IF v_starts[k] < v_session.started_at OR v_ends[k] > v_session.ended_at THEN
                UPDATE drone_online_sessions
                   SET started_at = least(started_at, v_starts[k]),
                       ended_at = greatest(ended_at, v_ends[k])
                 WHERE id = v_session.id;
            END IF;
        ELSE
            INSERT INTO drone_online_sessions (drone_id, started_at, ended_at)
            VALUES (p_drone_id, v_starts[k], v_ends[k]);
        END IF;
    END LOOP;

    -- A drone on a delivery stays busy; maintenance is sticky (only an operator ends it);
    -- otherwise the reported status, and a drone that was offline or busy is back and idle.
    IF EXISTS (SELECT 1 FROM deliveries WHERE drone_id = p_drone_id AND status IN ('assigned', 'in_progress')) THEN
        v_status := 'busy';
    ELSIF v_was = 'maintenance' THEN
        v_status := 'maintenance';
    ELSE
        v_status := coalesce(p_status[v_i], CASE WHEN v_was IN ('offline', 'busy') THEN 'idle' ELSE v_was END);
    END IF;

    -- A reading older than the position shown never moves the drone back in time (the SET
    -- expressions read the row's old values); last-seen always moves.
    UPDATE drones d
       SET battery_level = CASE WHEN d.position_recorded_at IS NULL OR d.position_recorded_at <= v_at THEN p_battery_level[v_i] ELSE d.battery_level END,
           last_lat = CASE WHEN d.position_recorded_at IS NULL OR d.position_recorded_at <= v_at THEN p_lat[v_i] ELSE d.last_lat END,
           last_lon = CASE WHEN d.position_recorded_at IS NULL OR d.position_recorded_at <= v_at THEN p_lon[v_i] ELSE d.last_lon END,
           altitude_m = CASE WHEN d.position_recorded_at IS NULL OR d.position_recorded_at <= v_at THEN p_altitude_m[v_i] ELSE d.altitude_m END,
           heading_deg = CASE WHEN d.position_recorded_at IS NULL OR d.position_recorded_at <= v_at THEN p_heading_deg[v_i] ELSE d.heading_deg END,
           speed_mps = CASE WHEN d.position_recorded_at IS NULL OR d.position_recorded_at <= v_at THEN p_speed_mps[v_i] ELSE d.speed_mps END,
           position_recorded_at = greatest(d.position_recorded_at, v_at),
           status = v_status,
           last_seen_at = p_now,
           updated_at = p_now
     WHERE d.id = p_drone_id;

    -- Wakes the order workers at commit (NOTIFY is transactional). The channel is
    -- DISPATCH_CHANNEL in lib/dispatch/notify.ts.
    IF v_status = 'idle' AND v_was <> 'idle' THEN
        PERFORM pg_notify('skypost_dispatch', 'drone_idle');
    END IF;

    RETURN v_stored;
END;
$$;
