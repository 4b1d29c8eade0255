// Kafka's error codes used by this broker (org.apache.kafka.common.protocol.Errors), and their names.
// A response carries the code; the broker's log line carries the sentence saying what was wrong.

export const ERROR = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_FETCH_SIZE: 4,
  REQUEST_TIMED_OUT: 7,
  MESSAGE_TOO_LARGE: 10,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  INVALID_TOPIC_EXCEPTION: 17,
  RECORD_LIST_TOO_LARGE: 18,
  INVALID_REQUIRED_ACKS: 21,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  INVALID_COMMIT_OFFSET_SIZE: 28,
  UNSUPPORTED_VERSION: 35,
  INVALID_REQUEST: 42,
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 43,
  KAFKA_STORAGE_ERROR: 56,
  GROUP_ID_NOT_FOUND: 69,
  MEMBER_ID_REQUIRED: 79,
  GROUP_MAX_SIZE_REACHED: 81,
  FENCED_INSTANCE_ID: 82,
} as const;

export type ErrorCode = (typeof ERROR)[keyof typeof ERROR];

const NAMES = new Map<number, string>(Object.entries(ERROR).map(([name, code]) => [code, name]));

/** "OFFSET_OUT_OF_RANGE", or "error 99" for a code not in the table. */
export function errorName(code: number): string {
  return NAMES.get(code) ?? `error ${code}`;
}

/** A Kafka error code with the sentence that explains it; thrown by handlers and client calls. */
export class KafkaError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`${errorName(code)}: ${message}`);
    this.name = "KafkaError";
  }
}
