/** A screen that is not built yet: says so plainly instead of pretending. */
export function PendingScreen({ title }: { title: string }) {
  return (
    <section aria-labelledby="pending-title">
      <h1 id="pending-title">{title}</h1>
      <p className="lead">This screen is not available in this version yet.</p>
    </section>
  );
}
