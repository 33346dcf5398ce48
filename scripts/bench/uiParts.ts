// The UI modules the ui bench measures, loaded through one tsx import (one module namespace).
export { diagnose, DEFAULT_PROFILE } from '../../src/core/index';
export { LocalRunner } from '../../src/transport/index';
export { rootNodes, childNodes } from '../../src/ui/tree/nodes';
export { buildTimeline, incidentMoment } from '../../src/ui/timeline/model';
export { renderTimelinePage } from '../../src/ui/timeline/render';
