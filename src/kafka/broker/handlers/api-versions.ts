// ApiVersions: the table of api-keys.ts. A version above 2 gets the v0 layout with UNSUPPORTED_VERSION and
// the same table (KIP-511), and the connection stays open for the client's retry.
import { SUPPORTED_VERSIONS, API } from "../../protocol/api-keys";
import { ERROR } from "../../protocol/error-codes";
import { writeApiVersionsResponse } from "../../protocol/messages/api-versions";
import { Request, Outcome, respond } from "../request";

export function handleApiVersions(request: Request): Outcome {
  const max = SUPPORTED_VERSIONS.find((r) => r.apiKey === API.ApiVersions)!.maxVersion;
  const version = request.header.apiVersion;
  const errorCode = version > max ? ERROR.UNSUPPORTED_VERSION : ERROR.NONE;
  return respond(request.header, (w) => writeApiVersionsResponse(w, errorCode ? 0 : version, { errorCode, apiKeys: [...SUPPORTED_VERSIONS], throttleTimeMs: 0 }));
}
