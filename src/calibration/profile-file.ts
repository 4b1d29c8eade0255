// Where the machine profile lives and how it is read back. One file for the whole workbook: every chapter, the
// report and `workbook predict` reuse it until the reader recalibrates. Default: .workbook/profile.json under the
// repository root (git-ignored); the WORKBOOK_PROFILE environment variable names another file.
import * as fs from "fs";
import { writeJsonFile } from "../files/write-file";
import * as path from "path";
import { parameterProblems, PARAMETER_NAMES } from "../model/cost/machine-profile";
import { MachineProfile, PROFILE_MODEL_VERSION } from "./profile-record";
import { repoRoot } from "../repo-root";

/** The default profile file. */
export const DEFAULT_PROFILE_FILE = path.join(repoRoot, ".workbook", "profile.json");

/** The profile file in effect: WORKBOOK_PROFILE if set, else the default. */
export function profileFile(): string {
  return process.env.WORKBOOK_PROFILE || DEFAULT_PROFILE_FILE;
}

/** Raised when there is no usable profile; its message is one line saying what to run. */
export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProfileError";
  }
}

/** Writes the profile as pretty JSON, creating the folder; returns the file. */
export function saveProfile(profile: MachineProfile, file = profileFile()): string {
  writeJsonFile(file, profile);
  return file;
}

/** Checks a parsed record; throws a ProfileError with one line naming what is wrong and what to run. */
export function validateProfile(record: unknown, file: string): MachineProfile {
  const rerun = "run `npx workbook calibrate` to measure this machine again";
  if (record === null || typeof record !== "object" || (record as { kind?: unknown }).kind !== "machine-profile") {
    throw new ProfileError(`${file} is not a machine profile; ${rerun}`);
  }
  const profile = record as MachineProfile;
  const parameters = (profile.parameters ?? {}) as unknown as Record<string, unknown>;
  const missing = PARAMETER_NAMES.filter((name) => parameters[name] === undefined);
  if (missing.length > 0 || profile.modelVersion !== PROFILE_MODEL_VERSION) {
    const what = missing.length > 0 ? `it has no ${missing.join(", ")}` : `it is for model version ${profile.modelVersion}, this is ${PROFILE_MODEL_VERSION}`;
    throw new ProfileError(`${file} was measured for an older cost model (${what}); ${rerun}`);
  }
  const problems = parameterProblems(parameters);
  if (problems.length > 0) throw new ProfileError(`${file} has unusable parameters (${problems.join("; ")}); ${rerun}`);
  if (typeof profile.name !== "string" || typeof profile.measuredAt !== "string") throw new ProfileError(`${file} has no name or measuredAt; ${rerun}`);
  return profile;
}

/** Reads and checks the saved profile; a ProfileError (one line) if it is missing, not JSON or not usable. */
export function loadProfile(file = profileFile()): MachineProfile {
  if (!fs.existsSync(file)) throw new ProfileError(`no machine profile at ${file}; run \`npx workbook calibrate\` first (about 15 s)`);
  let record: unknown;
  try {
    record = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ProfileError(`${file} is not valid JSON (${(error as Error).message.split("\n")[0]}); run \`npx workbook calibrate\` to write it again`);
  }
  return validateProfile(record, file);
}

/** The saved profile if there is a usable one, else undefined (callers that calibrate on demand use it). */
export function tryLoadProfile(file = profileFile()): MachineProfile | undefined {
  try {
    return loadProfile(file);
  } catch (error) {
    if (error instanceof ProfileError) return undefined;
    throw error;
  }
}
