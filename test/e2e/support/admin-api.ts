// The Node-RED admin HTTP API (no adminAuth in the test settings, so no token is needed).
export type FlowNode = Record<string, unknown> & { id: string; type: string };

export async function getJson<T>(baseUrl: string, path: string): Promise<T> {
  const response = await fetch(new URL(path, baseUrl), { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function getText(baseUrl: string, path: string): Promise<string> {
  const response = await fetch(new URL(path, baseUrl));
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response.text();
}

export interface NodeModuleInfo {
  name: string;
  nodes: Array<{ id: string; name: string; types: string[]; enabled: boolean; err?: unknown }>;
}

/** The module entry of `GET /nodes` for one package, with the load error of each node file. */
export async function installedModule(baseUrl: string, moduleName: string): Promise<NodeModuleInfo> {
  const nodeSets = await getJson<Array<{ id: string; name: string; module: string; types: string[]; enabled: boolean; err?: unknown }>>(
    baseUrl,
    'nodes',
  );
  return { name: moduleName, nodes: nodeSets.filter((set) => set.module === moduleName) };
}

export async function getFlows(baseUrl: string): Promise<FlowNode[]> {
  const response = await fetch(new URL('flows', baseUrl), { headers: { Accept: 'application/json', 'Node-RED-API-Version': 'v1' } });
  if (!response.ok) throw new Error(`GET flows: HTTP ${response.status}`);
  return (await response.json()) as FlowNode[];
}
