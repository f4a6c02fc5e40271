import { ClusterCard } from './cluster-card.js';
import type { DashboardModel } from './dashboard-model.js';
import { el } from './dom.js';
import type { View } from './view.js';

/**
 * The manager's clusters as cards, the watched one marked; a sidebar on its own (JupyterLab) or
 * a panel of the dashboard.
 *
 * #### Notes
 * Cards are kept across updates and only their figures redrawn, so a number being typed in a
 * card's "Scale to" is not lost when the cluster changes.
 */
export class ClusterListView implements View {
  readonly element: HTMLElement;
  private readonly cards = new Map<string, ClusterCard>();
  private readonly list = el('div', { class: 'drover-cards', 'aria-live': 'polite' });
  private readonly empty = el('p', { class: 'drover-note' }, 'No clusters yet: start one with the form.');
  private readonly disconnect: () => void;

  constructor(private readonly model: DashboardModel) {
    this.element = el('div', { class: 'drover-cluster-list' }, this.empty, this.list);
    this.disconnect = model.changed.connect((change) => {
      if (change === 'clusters') this.render();
      else if (change === 'watched') this.markWatched();
    });
    this.render();
  }

  dispose(): void {
    this.disconnect();
  }

  private render(): void {
    const clusters = this.model.clusters;
    for (const [name, card] of this.cards)
      if (!clusters.has(name)) {
        card.element.remove();
        this.cards.delete(name);
      }
    for (const [name, cluster] of clusters) {
      const card = this.cards.get(name);
      if (card) card.update(cluster);
      else {
        const added = new ClusterCard(cluster, this.model);
        this.cards.set(name, added);
        this.list.append(added.element);
      }
    }
    this.empty.hidden = this.cards.size > 0;
    this.markWatched();
  }

  private markWatched(): void {
    for (const card of this.cards.values()) card.setWatched(card.name === this.model.watched);
  }
}
