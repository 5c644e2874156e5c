/** Serial port paths that start with this name a virtual board of this process: `sim:kitchen`. */
export const SIM_PREFIX = 'sim:';
