/** What an administrator's action on one person (a button in a table of people) is given. */
export interface PersonActionProps {
  userId: string;
  /** The person's name, for the button's accessible name and the outcome message. */
  name: string;
  onSaved: (message: string) => void;
  onError: (error: unknown) => void;
}
