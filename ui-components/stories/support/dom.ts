/**
 * Reaching into an element's shadow root from a story's `play` function
 * (Testing Library queries stop at shadow boundaries).
 */
import { waitFor } from "storybook/test"

const isUpdating = (element: Element): element is Element & { readonly updateComplete: Promise<unknown> } =>
  "updateComplete" in element && element.updateComplete instanceof Promise

/** The shadow root of the first `tag` in the story, once it has rendered. */
export const shadowOf = async (canvas: HTMLElement, tag: string): Promise<ShadowRoot> => {
  const host = await waitFor(() => {
    const found = canvas.querySelector(tag)
    if (found === null) throw new Error(`No <${tag}> in the story.`)
    return found
  })
  if (isUpdating(host)) await host.updateComplete
  const root = host.shadowRoot
  if (root === null) throw new Error(`<${tag}> has no open shadow root.`)
  return root
}

/** The element matching `selector` inside `root`, of the given type; waits for it to appear. */
export const find = <E extends Element>(
  root: ShadowRoot,
  selector: string,
  type: abstract new (...args: never) => E,
): Promise<E> =>
  waitFor(() => {
    const found = root.querySelector(selector)
    if (!(found instanceof type)) throw new Error(`Nothing matches ${selector}.`)
    return found
  })

export const input = (root: ShadowRoot, name: string): Promise<HTMLInputElement> =>
  find(root, `input[name="${name}"]`, HTMLInputElement)

export const button = (root: ShadowRoot, part: string): Promise<HTMLButtonElement> =>
  find(root, `button[part~="${part}"]`, HTMLButtonElement)
