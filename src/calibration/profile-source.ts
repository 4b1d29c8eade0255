// The one way chapters, the report and `workbook predict` get the machine profile their model lines are drawn from:
// the saved one, or, where none was saved yet, one measured now and saved for every later reader. An unusable saved
// profile is an error naming what to run: it is never measured over silently.
import * as fs from "fs";
import { measureProfile } from "./profile";
import { loadProfile, saveProfile, profileFile } from "./profile-file";
import type { MachineProfile } from "./profile-record";

/** A profile and where it came from. */
export interface ProfileSource {
  profile: MachineProfile;
  file: string;
  /** True when it was measured by this call (there was none saved). */
  measuredNow: boolean;
}

/** The saved profile, or a new one (saved) when there is none. `quick` measures the quick plan (under 10 s). */
export async function profileForModel(options: { quick?: boolean; dir?: string; onProgress?: (line: string) => void } = {}): Promise<ProfileSource> {
  const file = profileFile();
  if (fs.existsSync(file)) return { profile: loadProfile(file), file, measuredNow: false };
  options.onProgress?.(`no machine profile at ${file}: measuring one first (${options.quick ? "quick, about 5 s" : "about 15 s"})`);
  const profile = await measureProfile({ quick: options.quick, dir: options.dir, onProgress: (step) => options.onProgress?.(`calibrate: ${step}`) });
  saveProfile(profile, file);
  return { profile, file, measuredNow: true };
}

/** How a figure names the profile that drew its model line: "model, this machine's profile of 2026-12-01 21:04". */
export function profileLabel(profile: Pick<MachineProfile, "measuredAt">): string {
  return `model, this machine's profile of ${profile.measuredAt.slice(0, 16).replace("T", " ")}`;
}
