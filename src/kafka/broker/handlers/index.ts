// From a request frame to an Outcome: check the API and version, parse the header, call the handler.
// Kafka's rules for what a client did wrong: an API or version this broker does not speak gets
// UNSUPPORTED_VERSION (ApiVersions answers it in the v0 layout and keeps the connection; anything else is
// answered with the code and closed, since the client expects a layout we cannot write); a body that
// does not parse closes the connection (Kafka: InvalidRequestException). Both are logged.
import { API, apiName, isSupported } from "../../protocol/api-keys";
import { ERROR } from "../../protocol/error-codes";
import { MalformedMessage, WireReader } from "../../protocol/wire-reader";
import { peekRequestHeader, readRequestHeader, REQUEST_HEADER_FIXED_BYTES, RequestHeader } from "../../protocol/request-header";
import { Request, Outcome, BrokerContext, ConnectionView, respond, countError } from "../request";
import { handleApiVersions } from "./api-versions";
import { handleMetadata } from "./metadata";
import { handleProduce } from "./produce";
import { handleListOffsets } from "./list-offsets";
import { handleFetch } from "./fetch";
import { handleFindCoordinator, handleJoinGroup, handleSyncGroup, handleHeartbeat, handleLeaveGroup, handleOffsetCommit, handleOffsetFetch } from "./groups";

type Handler = (request: Request, context: BrokerContext) => Outcome | Promise<Outcome>;

const HANDLERS: Record<number, Handler> = {
  [API.Produce]: handleProduce,
  [API.Fetch]: handleFetch,
  [API.ListOffsets]: handleListOffsets,
  [API.Metadata]: handleMetadata,
  [API.OffsetCommit]: handleOffsetCommit,
  [API.OffsetFetch]: handleOffsetFetch,
  [API.FindCoordinator]: handleFindCoordinator,
  [API.JoinGroup]: handleJoinGroup,
  [API.Heartbeat]: handleHeartbeat,
  [API.LeaveGroup]: handleLeaveGroup,
  [API.SyncGroup]: handleSyncGroup,
  [API.ApiVersions]: handleApiVersions,
};

export async function dispatch(frame: Buffer, connection: ConnectionView, context: BrokerContext): Promise<Outcome> {
  if (frame.length < REQUEST_HEADER_FIXED_BYTES) {
    countError(context, "INVALID_REQUEST");
    return { kind: "close", reason: `a ${frame.length}-byte frame cannot hold a request header (${REQUEST_HEADER_FIXED_BYTES} bytes at least)` };
  }
  const fixed = peekRequestHeader(frame);
  const name = apiName(fixed.apiKey);
  context.counters.requests[name] = (context.counters.requests[name] ?? 0) + 1;
  if (fixed.apiKey === API.ApiVersions && !isSupported(fixed.apiKey, fixed.apiVersion)) {
    // Flexible (v3+) header: answer from the fixed part, never parse the rest.
    countError(context, "UNSUPPORTED_VERSION");
    return handleApiVersions({ header: { ...fixed, clientId: null }, body: new WireReader(frame, frame.length), connection });
  }
  if (!isSupported(fixed.apiKey, fixed.apiVersion)) {
    countError(context, "UNSUPPORTED_VERSION");
    const outcome = respond({ ...fixed, clientId: null }, (w) => w.int16(ERROR.UNSUPPORTED_VERSION));
    return { ...outcome, thenClose: `${name} v${fixed.apiVersion} is not supported (see ApiVersions); answered UNSUPPORTED_VERSION` } as Outcome;
  }
  const body = new WireReader(frame);
  let header: RequestHeader;
  try {
    header = readRequestHeader(body);
    return await HANDLERS[fixed.apiKey]({ header, body, connection }, context);
  } catch (error) {
    if (!(error instanceof MalformedMessage)) throw error;
    countError(context, "INVALID_REQUEST");
    return { kind: "close", reason: `malformed ${name} v${fixed.apiVersion} request (correlation id ${fixed.correlationId}): ${error.message}` };
  }
}
