// The parts of node-red-node-test-helper (0.3) the tests use; the package ships no types.
declare module 'node-red-node-test-helper' {
  import type { Node } from 'node-red';

  type FlowNode = Record<string, unknown> & { id: string; type: string };

  interface TestNode extends Node {
    receive(msg: Record<string, unknown>): void;
  }

  interface TestResponse {
    status: number;
    text: string;
    body: any;
  }

  /** supertest's request, as far as the tests use it. */
  interface TestRequest extends PromiseLike<TestResponse> {
    send(body: unknown): TestRequest;
    set(name: string, value: string): TestRequest;
    query(values: Record<string, string>): TestRequest;
    expect(status: number): TestRequest;
  }

  interface TestAgent {
    get(path: string): TestRequest;
    post(path: string): TestRequest;
  }

  interface Helper {
    init(nodeRedRuntime: string, userSettings?: Record<string, unknown>): void;
    /** `nodes`: one node module (a function the helper calls with RED) or an array of them. */
    load(nodes: unknown, flow: FlowNode[], credentials?: Record<string, Record<string, unknown>>, cb?: () => void): Promise<void>;
    unload(): Promise<void>;
    setFlows(flow: FlowNode[], type: 'full' | 'nodes' | 'flows', credentials?: Record<string, Record<string, unknown>>): Promise<void>;
    getNode(id: string): TestNode;
    startServer(done?: () => void): Promise<void>;
    stopServer(done?: () => void): Promise<void>;
    request(): TestAgent;
    settings(settings: Record<string, unknown>): void;
    clearFlows(): Promise<void>;
  }

  const helper: Helper;
  export = helper;
}
