// `sim:<name>` ports: the prefix is a field rule too (src/field-rules.ts), which the editor shares.
export { VIRTUAL_PORT_PREFIX as SIM_PREFIX } from '../../field-rules';
