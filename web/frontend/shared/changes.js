// Whether the diagram differs from what was last put into use, followed through the command
// stack (undo back to the saved state is "no changes"). A DMN file has one command stack per
// view, so a tracker can follow several.
export function changeTracker(...eventBuses) {
  const stacks = [];

  function follow(eventBus) {
    const stack = { position: 0, saved: 0 };
    stacks.push(stack);
    eventBus.on('commandStack.changed', ({ trigger }) => {
      if (trigger === 'execute') {
        if (stack.position < stack.saved) {
          stack.saved = -1; // a new change after undoing past the saved state: it is gone
        }
        stack.position += 1;
      } else if (trigger === 'undo') {
        stack.position -= 1;
      } else if (trigger === 'redo') {
        stack.position += 1;
      } else if (trigger === 'clear') {
        stack.position = 0;
        stack.saved = 0;
      }
    });
  }

  eventBuses.forEach(follow);
  return {
    follow,
    isDirty: () => stacks.some((stack) => stack.position !== stack.saved),
    markSaved: () => stacks.forEach((stack) => { stack.saved = stack.position; })
  };
}
