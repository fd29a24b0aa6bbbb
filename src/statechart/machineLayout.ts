import type { StateNodeModel, TransitionModel } from './machineGraph.ts';

export interface Point {
  x: number;
  y: number;
}

export interface EdgeSection {
  startPoint: Point;
  endPoint: Point;
  bendPoints: Point[];
}

/** A state of the graph with its box. */
export interface LaidOutNode extends StateNodeModel {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * One arrow per target of a transition. A transition without target (actions only) has the
 * source as its target and no sections: its label is a line inside the source's box.
 */
export interface LaidOutEdge extends Pick<TransitionModel, 'source' | 'event' | 'guard'> {
  id: string;
  /** The transition it draws (`<source>#<index>`): a transition to several targets draws several edges. */
  transition: string;
  target: string;
  sections: EdgeSection[];
  /** The centre of the label `EVENT [guard]`. */
  labelPos: Point;
}

/** The dot a compound state's initial arrow starts from. */
export interface InitialMark {
  /** The state entered first. */
  state: string;
  center: Point;
  radius: number;
  sections: EdgeSection[];
}

/** A machine drawn: every coordinate absolute, from the drawing's top left corner. */
export interface MachineLayout {
  name: string;
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  initialMarks: InitialMark[];
}

/** The geometry of a state's box, shared with the SVG renderer. */
export const BOX = {
  padding: 10,
  titleHeight: 24,
  rowHeight: 16,
  minWidth: 72,
  minHeight: 36,
  /** Space around a compound state's children. */
  childPadding: 16,
  /** The gap between a final state's two borders. */
  finalInset: 4,
  historySize: 30,
  initialRadius: 5,
  labelPaddingX: 4,
  labelHeight: 16,
} as const;
