// Whether the diagram differs from a saved state, followed through the command stack (undo
// back to the saved state is "no changes"). A DMN file has one command stack per view, so a
// tracker can follow several.
//
// There are two saved states: 'inUse' (what was last put into use) and 'draft' (what was last
// kept, as a draft on the server or put into use). isDirty() and markSaved() without a name
// speak of 'inUse' and of both; markDiffers(name) says the content differs from that state even
// though no command changed it (a draft loaded in place of the file in use).
const MARKS = ['inUse', 'draft'];

export function changeTracker(...eventBuses) {
  const stacks = [];
  const differs = new Set();

  function follow(eventBus) {
    const stack = { position: 0, saved: Object.fromEntries(MARKS.map((mark) => [mark, 0])) };
    stacks.push(stack);
    eventBus.on('commandStack.changed', ({ trigger }) => {
      if (trigger === 'execute') {
        MARKS.forEach((mark) => {
          if (stack.position < stack.saved[mark]) {
            stack.saved[mark] = -1; // a new change after undoing past the saved state: it is gone
          }
        });
        stack.position += 1;
      } else if (trigger === 'undo') {
        stack.position -= 1;
      } else if (trigger === 'redo') {
        stack.position += 1;
      } else if (trigger === 'clear') {
        stack.position = 0;
        MARKS.forEach((mark) => { stack.saved[mark] = 0; });
      }
    });
  }

  function marks(mark) {
    return mark === undefined ? MARKS : [mark];
  }

  eventBuses.forEach(follow);
  return {
    follow,
    isDirty: (mark = 'inUse') => differs.has(mark) || stacks.some((stack) => stack.position !== stack.saved[mark]),
    /** The positions now: markSaved(mark, snapshot) marks them later (after a save that took a while). */
    snapshot: () => stacks.map((stack) => stack.position),
    markSaved: (mark, snapshot) => marks(mark).forEach((name) => {
      differs.delete(name);
      stacks.forEach((stack, index) => {
        stack.saved[name] = snapshot && index < snapshot.length ? snapshot[index] : stack.position;
      });
    }),
    markDiffers: (mark) => marks(mark).forEach((name) => differs.add(name))
  };
}
