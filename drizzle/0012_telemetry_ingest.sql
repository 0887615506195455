-- One round trip per telemetry request: the whole of lib/telemetry/record.ts (device key check,
-- drone row lock, batch insert, online sessions, status rules, dispatch wake-up) in one
-- function, called in autocommit. The rules are documented next to its caller,
-- ingestTelemetry(); keep the two in step.
--
-- p_key_hash: the SHA-256 (hex) of the device key that sent the batch, checked against the
-- drone the path names; NULL for trusted in-process callers (simulator, tests).
-- Returns the number of readings stored, or NULL when no drone has that id (with that key):
-- nothing is written then, and the caller works out 401, 403 or 404.
-- The arrays are the batch's columns, one element per reading, in the order sent.
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
    v_was varchar;
    v_status varchar;
    v_stored integer;
    v_session bigint;
    v_newest record;
    v_span record;
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

    -- The newest reading sets the drone's state; of readings with the same time, the last sent.
    SELECT r.recorded_at, r.lat, r.lon, r.altitude_m, r.heading_deg, r.speed_mps, r.battery_level, r.status
      INTO v_newest
      FROM unnest(p_recorded_at, p_lat, p_lon, p_altitude_m, p_heading_deg, p_speed_mps, p_battery_level, p_status)
           WITH ORDINALITY AS r(recorded_at, lat, lon, altitude_m, heading_deg, speed_mps, battery_level, status, i)
     ORDER BY r.recorded_at DESC, r.i DESC
     LIMIT 1;

    -- Online sessions: the batch's times as spans of readings at most the gap apart (usually
    -- one); each joins the drone's session it touches (within the gap) or opens a new one.
    FOR v_span IN
        SELECT min(t) AS started_at, max(t) AS ended_at
          FROM (SELECT t, sum(CASE WHEN t - prev > v_gap THEN 1 ELSE 0 END) OVER (ORDER BY t) AS span
                  FROM (SELECT t, lag(t) OVER (ORDER BY t) AS prev FROM unnest(p_recorded_at) AS u(t)) a) b
         GROUP BY span
         ORDER BY span
    LOOP
        SELECT s.id INTO v_session
          FROM drone_online_sessions s
         WHERE s.drone_id = p_drone_id
           AND s.ended_at >= v_span.started_at - v_gap
           AND s.started_at <= v_span.ended_at + v_gap
         ORDER BY s.ended_at DESC
         LIMIT 1;
        IF FOUND THEN
            UPDATE drone_online_sessions
               SET started_at = least(started_at, v_span.started_at),
                   ended_at = greatest(ended_at, v_span.ended_at)
             WHERE id = v_session;
        ELSE
            INSERT INTO drone_online_sessions (drone_id, started_at, ended_at)
            VALUES (p_drone_id, v_span.started_at, v_span.ended_at);
        END IF;
    END LOOP;

    -- A drone on a delivery stays busy; maintenance is sticky (only an operator ends it);
    -- otherwise the reported status, and a drone that was offline or busy is back and idle.
    IF EXISTS (SELECT 1 FROM deliveries WHERE drone_id = p_drone_id AND status IN ('assigned', 'in_progress')) THEN
        v_status := 'busy';
    ELSIF v_was = 'maintenance' THEN
        v_status := 'maintenance';
    ELSE
        v_status := coalesce(v_newest.status, CASE WHEN v_was IN ('offline', 'busy') THEN 'idle' ELSE v_was END);
    END IF;

    -- A reading older than the position shown never moves the drone back in time (the SET
    -- expressions read the row's old values); last-seen always moves.
    UPDATE drones d
       SET battery_level = CASE WHEN d.position_recorded_at IS NULL OR d.position_recorded_at <= v_newest.recorded_at THEN v_newest.battery_level ELSE d.battery_level END,
           last_lat = CASE WHEN d.position_recorded_at IS NULL OR d.position_recorded_at <= v_newest.recorded_at THEN v_newest.lat ELSE d.last_lat END,
           last_lon = CASE WHEN d.position_recorded_at IS NULL OR d.position_recorded_at <= v_newest.recorded_at THEN v_newest.lon ELSE d.last_lon END,
           altitude_m = CASE WHEN d.position_recorded_at IS NULL OR d.position_recorded_at <= v_newest.recorded_at THEN v_newest.altitude_m ELSE d.altitude_m END,
           heading_deg = CASE WHEN d.position_recorded_at IS NULL OR d.position_recorded_at <= v_newest.recorded_at THEN v_newest.heading_deg ELSE d.heading_deg END,
           speed_mps = CASE WHEN d.position_recorded_at IS NULL OR d.position_recorded_at <= v_newest.recorded_at THEN v_newest.speed_mps ELSE d.speed_mps END,
           position_recorded_at = greatest(d.position_recorded_at, v_newest.recorded_at),
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
