#include "plots/plot_view.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QVBoxLayout>

namespace layerscope {

PlotView::PlotView(const QString& title, QWidget* parent)
    : QWidget(parent),
      title_(title),
      layout_(new QVBoxLayout(this)),
      note_(new QLabel(this)),
      caveat_(new QLabel(this)) {
  layout_->setContentsMargins(0, 0, 0, 0);
  layout_->setSpacing(0);
  note_->setStyleSheet(QStringLiteral("color: #b00020; padding: 0 6px;"));
  note_->setWordWrap(true);
  note_->hide();
  layout_->addWidget(note_);
  caveat_->setStyleSheet(QStringLiteral("color: #555555; padding: 0 6px; font-size: 8pt;"));
  caveat_->setWordWrap(true);
  caveat_->hide();
  layout_->addWidget(caveat_);
  setObjectName(title);
}

void PlotView::setContent(QWidget* content) { layout_->insertWidget(0, content, 1); }

void PlotView::setNote(const QString& text) {
  if (note_->text() == text) return;
  note_->setText(text);
  note_->setVisible(!text.isEmpty());
}

void PlotView::setCaveat(const QString& text) {
  if (caveat_->text() == text) return;
  caveat_->setText(text);
  caveat_->setToolTip(text);
  caveat_->setVisible(!text.isEmpty());
}

void PlotView::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  menu.addSection(title_);
  menu.addAction(tr("Export as PNG..."), this, [this] { emit exportRequested(this, "png"); });
  menu.addAction(tr("Export as SVG..."), this, [this] { emit exportRequested(this, "svg"); });
  menu.addAction(tr("Export as PDF..."), this, [this] { emit exportRequested(this, "pdf"); });
  menu.exec(event->globalPos());
}

}  // namespace layerscope
