// A message as publishers hand it to a connection and as the queue, the store and the sender keep it:
// the bottom of the flespi layer, so that none of them depends on the connection that uses them.
export interface PublishProperties {
  messageExpiryInterval?: number;
  contentType?: string;
  userProperties?: Record<string, string | string[]>;
}

export interface PublishRequest {
  topic: string;
  /** Bytes, or text sent as UTF-8. */
  payload: Buffer | string;
  qos: 0 | 1;
  retain: boolean;
  properties?: PublishProperties;
  /** When a message with an expiry stops being worth sending (ms since the epoch): src/flespi/message-expiry.ts. */
  expiresAt?: number;
}
