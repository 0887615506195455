export type TileConfig = { url: string; attribution: string };

/** Central Moscow, where the demo network is. */
export const DEFAULT_CENTER: [number, number] = [55.7522, 37.6156];
