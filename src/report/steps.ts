// Every step `workbook run` knows, in run order: the chapters, and the machine profile every model line is drawn from.
import type { Step } from "../chapters/chapter";
import { copyPathChapter } from "../chapters/01-the-copy-path/chapter";
import { zeroCopyChapter } from "../chapters/02-zero-copy-measured/chapter";
import { realLinkChapter } from "../chapters/02b-a-real-link/chapter";
import { pageCacheChapter } from "../chapters/03-the-page-cache/chapter";
import { diskChapter } from "../chapters/04-sequential-vs-random/chapter";
import { producerChapter } from "../chapters/05-the-producers-side/chapter";
import { brokerChapter } from "../chapters/06-a-kafka-broker/chapter";
import { profileStep, predictionChapter } from "../chapters/07-theory-meets-measurement/chapter";
import { summaryChapter } from "../chapters/08-summary/chapter";

// The profile (loaded, or measured and saved) comes before every chapter that draws a model line from it; the
// summary runs last, over the claims of everything before it. The report orders sections by chapter number.
export const STEPS: Step<any, any>[] = [
  copyPathChapter,
  profileStep,
  zeroCopyChapter,
  realLinkChapter,
  pageCacheChapter,
  diskChapter,
  producerChapter,
  brokerChapter,
  predictionChapter,
  summaryChapter,
];
