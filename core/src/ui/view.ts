/** What every Drover view is: an element to place anywhere, and a way to let go of its model. */
export interface View {
  readonly element: HTMLElement;
  /** Disconnects from the model and stops timers; the element can then be dropped. */
  dispose(): void;
}

/**
 * Appends a view to a host's element and makes sure it is inside a `.drover-root`, where Drover's
 * variables (mapped onto the host's theme) are defined. Returns the view.
 */
export function mountView<V extends View>(container: HTMLElement, view: V): V {
  if (!container.closest('.drover-root')) container.classList.add('drover-root');
  container.append(view.element);
  return view;
}
