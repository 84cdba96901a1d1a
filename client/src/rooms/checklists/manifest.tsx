/**
 * The generic room: shared checklists and nothing else, with no store of its own (the
 * room connection holds the checklists). Deals use it until they have their own views.
 */
import { ChecklistBoard } from "../../components/ChecklistBoard";
import { defineRoomKind } from "../kind";

export const checklistKind = defineRoomKind<null>({
  createStore: () => null,
  main: (props) => <ChecklistBoard store={props.roomStore} members={props.members} nameOf={props.nameOf} />,
});
