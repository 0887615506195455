-- The spec's stored function: atomic battery update from telemetry reports.
CREATE OR REPLACE FUNCTION update_drone_battery(
    p_drone_id UUID,
    p_battery_level DECIMAL(5,2)
) RETURNS void AS $$
BEGIN
    UPDATE drones
    SET
        battery_level = p_battery_level,
        updated_at = CURRENT_TIMESTAMP
    WHERE id = p_drone_id;
END;
$$ LANGUAGE plpgsql;
