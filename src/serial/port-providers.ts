// Serial ports that are not ttys (the built-in virtual board's `sim:` ports) come from providers
// registered by the layers above. A provider is loaded the first time one of its paths is used, so a
// Node-RED that never opens such a port never loads its code.
import type { ListedPort } from './list-ports';
import type { SerialLink } from './serial-link';

export interface PortProvider {
  /** A link for `path` that is not open yet. */
  createLink(path: string, baudRate: number): SerialLink;
  /** The ports this provider offers now. */
  list(): Promise<ListedPort[]>;
}

export interface PortProviderRegistration {
  /** The path prefix the provider claims, e.g. `sim:`. */
  prefix: string;
  /** Loads the provider; called once, when the first path with the prefix is used. */
  load(): PortProvider;
}

interface Entry {
  registration: PortProviderRegistration;
  provider?: PortProvider;
}

const entries = new Map<string, Entry>();

/** Registers a provider for paths starting with `registration.prefix`; registering a prefix again is a no-op. */
export function registerPortProvider(registration: PortProviderRegistration): void {
  if (registration.prefix === '') throw new Error('a port provider needs a non-empty path prefix');
  if (!entries.has(registration.prefix)) entries.set(registration.prefix, { registration });
}

/** The provider claiming `path`, loaded now if it was not yet; undefined for a tty path. */
export function portProviderFor(path: string): PortProvider | undefined {
  for (const entry of entries.values()) {
    if (!path.startsWith(entry.registration.prefix)) continue;
    entry.provider ??= entry.registration.load();
    return entry.provider;
  }
  return undefined;
}

/** Whether a registered provider claims `path`; asking does not load the provider. */
export function isProvidedPath(path: string): boolean {
  return [...entries.keys()].some((prefix) => path.startsWith(prefix));
}

/**
 * The ports of the providers loaded so far. One that was never loaded has nothing to offer yet
 * (no virtual board exists before a `sim:` path is used), so listing does not load it.
 */
export async function listProvidedPorts(): Promise<ListedPort[]> {
  const loaded = [...entries.values()].flatMap((entry) => (entry.provider ? [entry.provider] : []));
  return (await Promise.all(loaded.map((provider) => provider.list()))).flat();
}

/** Whether a provider for `prefix` has been loaded (memory checks and tests). */
export function isPortProviderLoaded(prefix: string): boolean {
  return entries.get(prefix)?.provider !== undefined;
}
