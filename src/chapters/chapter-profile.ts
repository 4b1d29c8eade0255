// The machine profile a chapter draws its model lines from, in `workbook run`: the one the profile step loaded or
// measured at the start of the run, or, when the chapter runs without it (`--only`), the saved one (measured now
// and saved if there is none). Notebooks call profileForModel() themselves, in a cell of their own.
import type { ChapterContext } from "./chapter";
import type { MachineProfile } from "../calibration/profile-record";
import { profileForModel, ProfileSource } from "../calibration/profile-source";

/** The name the profile step runs under (`workbook run --only profile`), and under which its result is kept. */
export const PROFILE_STEP = "profile";

/** The profile for this run's model lines. */
export async function profileFor(ctx: Pick<ChapterContext, "earlier">): Promise<MachineProfile> {
  const earlier = ctx.earlier[PROFILE_STEP] as ProfileSource | undefined;
  return earlier?.profile ?? (await profileForModel()).profile;
}
