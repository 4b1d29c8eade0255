// The request header (v1: api_key, api_version, correlation_id, client_id) and the response header
// (v0: correlation_id). Flexible requests (header v2) add tagged fields after client_id; the only flexible
// request this broker meets is ApiVersions v3+, which it answers from the first 8 bytes alone.
import { WireReader } from "./wire-reader";
import { WireWriter } from "./wire-writer";

/** Bytes of api_key + api_version + correlation_id: enough to answer any request with an error. */
export const REQUEST_HEADER_FIXED_BYTES = 8;

/** A parsed request header. */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** The fixed part of a header, readable from any frame of at least 8 bytes. */
export function peekRequestHeader(frame: Buffer): Omit<RequestHeader, "clientId"> {
  return { apiKey: frame.readInt16BE(0), apiVersion: frame.readInt16BE(2), correlationId: frame.readInt32BE(4) };
}

/** Reads a v1 header; the reader is left at the start of the body. */
export function readRequestHeader(reader: WireReader): RequestHeader {
  const apiKey = reader.int16();
  const apiVersion = reader.int16();
  const correlationId = reader.int32();
  const clientId = reader.nullableString();
  return { apiKey, apiVersion, correlationId, clientId };
}

/** Writes a v1 header (clients). */
export function writeRequestHeader(writer: WireWriter, header: RequestHeader): void {
  writer.int16(header.apiKey).int16(header.apiVersion).int32(header.correlationId).string(header.clientId);
}
