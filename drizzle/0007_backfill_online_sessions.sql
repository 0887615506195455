-- Online sessions for the telemetry already stored: readings at most 30 s apart (the default
-- DRONE_OFFLINE_TIMEOUT_S) form one session. Runs once; new readings keep sessions current.
INSERT INTO drone_online_sessions (drone_id, started_at, ended_at)
SELECT drone_id, min(recorded_at), max(recorded_at)
FROM (
    SELECT drone_id, recorded_at,
           sum(CASE WHEN prev_at IS NULL OR recorded_at - prev_at > interval '30 seconds' THEN 1 ELSE 0 END)
               OVER (PARTITION BY drone_id ORDER BY recorded_at) AS session
    FROM (
        SELECT drone_id, recorded_at, lag(recorded_at) OVER (PARTITION BY drone_id ORDER BY recorded_at) AS prev_at
        FROM drone_telemetry
    ) readings
) numbered
GROUP BY drone_id, session;
